namespace Mnp.Tests.Privileged.Lab;

public sealed class NamedNetnsTests
{
    private readonly NamedNetns _namespaces = new();

    [LabFact]
    public async Task Create_makes_a_namespace_iproute2_sees_and_delete_removes_it()
    {
        var name = $"mnptest-nn-{Guid.NewGuid():N}"[..24];
        var host = NetnsExecutor.IdentityOf("/proc/self/ns/net");
        try
        {
            var netns = _namespaces.Create(name);

            Assert.True(_namespaces.Exists(name));
            Assert.Contains(name, _namespaces.List());
            Assert.Contains(name, await HostTools.NetnsNamesAsync());
            var created = NetnsExecutor.IdentityOf(netns.Path);
            Assert.NotEqual(host, created);

            // A fresh namespace holds only lo, down; ip netns exec reaches it.
            var links = (await HostTools.IpJsonAsync("-n", name, "link")).EnumerateArray().Select(l => l.GetProperty("ifname").GetString());
            Assert.Equal(["lo"], links);

            // No thread of this process was left in the new namespace (executor threads and namespace-creating
            // threads of tests running in parallel are in other namespaces by design, so they are left out).
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                var (thread, identity) = ThreadNamespace(task);
                if (thread is not null && thread is not ("mnp-netns" or "mnp-netns-add"))
                {
                    Assert.True(host == identity, $"thread {task} '{thread}' is in {identity}, not the host's {host}");
                }
            }

            var duplicate = Assert.Throws<IOException>(() => _namespaces.Create(name));
            Assert.Contains("EEXIST", duplicate.Message, StringComparison.Ordinal);
            Assert.Equal(created, NetnsExecutor.IdentityOf(netns.Path));

            Assert.True(_namespaces.Delete(name));
            Assert.False(_namespaces.Exists(name));
            Assert.DoesNotContain(name, await HostTools.NetnsNamesAsync());
            Assert.False(_namespaces.Delete(name));
        }
        finally
        {
            _namespaces.Delete(name);
        }
    }

    /// <summary>A thread's name and namespace; (null, default) when the thread ended meanwhile.</summary>
    private static (string? Name, NamespaceIdentity Identity) ThreadNamespace(string task)
    {
        try
        {
            return (File.ReadAllText(Path.Combine(task, "comm")).Trim(), NetnsExecutor.IdentityOf(Path.Combine(task, "ns", "net")));
        }
        catch (IOException)
        {
            return (null, default);
        }
    }

    [LabFact]
    public void Names_that_are_not_file_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _namespaces.Create("a/b"));
        Assert.Throws<ArgumentException>(() => _namespaces.Create(".."));
        Assert.Throws<ArgumentException>(() => _namespaces.Delete(string.Empty));
    }
}
