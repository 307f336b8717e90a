using static Tmds.Linux.LibC;

namespace Mnp.Tests.Privileged;

/// <summary>
/// docs/native.md §8: threads born on a thread that is inside a pod namespace live in that namespace. These tests
/// show the hazard is real for a raw thread, and that the executor never lets it happen.
/// </summary>
public sealed class NetnsExecutorHazardTests
{
    [PrivilegedFact]
    public async Task After_many_jobs_every_thread_of_the_process_is_in_the_host_namespace()
    {
        var host = ThreadNamespaces.Current();
        await using var ns = await TestNetns.CreateAsync();
        using var executor = new NetnsExecutor();
        var backend = new IptablesBackend(executor);
        var inside = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < 100; i++)
        {
            inside.Add(await executor.RunAsync(ns.Ref, ThreadNamespaces.Current));
            _ = await backend.ReadTablesAsync(ns.Ref);
        }

        await backend.ApplyTablesAsync(ns.Ref, Models.AllMatchesV4, Models.AllMatchesV6);
        var threads = ThreadNamespaces.All();

        Assert.Equal([NetnsExecutor.IdentityOf($"/var/run/netns/{ns.Name}").ToString()], inside);
        Assert.NotEqual(host, inside.Single());
        Assert.All(threads, t => Assert.True(t.Value == host, $"thread {t.Key} is in {t.Value}, host is {host}"));
        Assert.True(threads.Count > 3);
    }

    [PrivilegedFact]
    public async Task Thread_pool_items_queued_after_jobs_run_in_the_host()
    {
        var host = ThreadNamespaces.Current();
        await using var ns = await TestNetns.CreateAsync();
        using var executor = new NetnsExecutor();
        for (var i = 0; i < 50; i++)
        {
            // The continuation after each await must not run on the netns thread.
            await executor.RunAsync(ns.Ref, () => i);
            Assert.Equal(host, ThreadNamespaces.Current());
        }

        var seen = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
        {
            Thread.Sleep(2); // keep workers busy so the pool grows new threads
            return ThreadNamespaces.Current();
        })));

        Assert.All(seen, s => Assert.Equal(host, s));
    }

    [PrivilegedFact]
    public async Task Control_a_raw_thread_that_enters_a_namespace_gives_it_to_the_threads_it_starts()
    {
        var host = ThreadNamespaces.Current();
        await using var ns = await TestNetns.CreateAsync();
        var target = NetnsExecutor.IdentityOf($"/var/run/netns/{ns.Name}").ToString();
        string? child = null;
        string? error = null;

        var raw = new Thread(() =>
        {
            var home = OpenNs("/proc/thread-self/ns/net");
            var pod = OpenNs($"/var/run/netns/{ns.Name}");
            try
            {
                if (setns(pod, CLONE_NEWNET) != 0)
                {
                    error = $"setns errno {errno}";
                    return;
                }

                var spawned = new Thread(() => child = ThreadNamespaces.Current());
                spawned.Start();
                spawned.Join();
            }
            finally
            {
                _ = setns(home, CLONE_NEWNET);
                _ = close(pod);
                _ = close(home);
            }
        });
        raw.Start();
        raw.Join();

        Assert.Null(error);
        Assert.Equal(target, child);
        Assert.NotEqual(host, child);
    }

    private static unsafe int OpenNs(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            var fd = open(p, O_RDONLY | O_CLOEXEC, 0);
            return fd >= 0 ? fd : throw new IOException($"open {path}: errno {errno}");
        }
    }
}
