using System.Collections.Concurrent;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Mnp.Native.Netns;

/// <summary>
/// The only code that calls <c>setns</c>. One dedicated OS thread runs synchronous jobs inside a pod's
/// network namespace and always switches back to the host namespace before the job's task completes.
/// Why: <c>setns</c> changes only the calling thread, and every thread (thread-pool workers included)
/// created from a thread inside a pod namespace is born there. So a job must never await, start tasks,
/// timers, threads or processes, or log; it returns plain data, and the caller logs afterwards. The task is
/// completed only after the thread is back home, so its continuations are queued from the host namespace.
/// After each job the thread's namespace is checked against the host's; a mismatch is fatal.
/// </summary>
public sealed class NetnsExecutor : IDisposable
{
    private const string ThreadSelfNetns = "/proc/thread-self/ns/net";

    /// <summary>The same path NUL-terminated, encoded once: it is stat'ed after every job.</summary>
    private static readonly byte[] ThreadSelfNetnsUtf8 = System.Text.Encoding.UTF8.GetBytes(ThreadSelfNetns + "\0");

    private readonly BlockingCollection<Action> _jobs = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource<NamespaceIdentity> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SafeFileHandle? _host;

    public NetnsExecutor()
    {
        WarmUpThreadPool();
        _thread = new Thread(Run) { IsBackground = true, Name = "mnp-netns" };
        _thread.Start();
        HostNamespace = _started.Task.GetAwaiter().GetResult();
    }

    /// <summary>The namespace the executor returns to after every job.</summary>
    public NamespaceIdentity HostNamespace { get; }

    /// <summary>
    /// Runs <paramref name="job"/> on the executor thread inside <paramref name="netns"/>. A job still queued when
    /// <paramref name="cancellationToken"/> fires is not run (its task is cancelled); a job that started runs to
    /// its end, since it is one synchronous kernel transaction that must not be cut in half.
    /// </summary>
    public Task<T> RunAsync<T>(NetnsRef netns, Func<T> job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(netns);
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _jobs.Add(() =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                completion.SetCanceled(cancellationToken);
                return;
            }

            Execute(netns, job, completion);
        });
        return completion.Task;
    }

    /// <summary>Runs <paramref name="job"/> on the executor thread in the host namespace (to create host-side sockets without touching pod namespaces).</summary>
    public Task<T> RunOnHostAsync<T>(Func<T> job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _jobs.Add(() =>
        {
            try
            {
                completion.SetResult(job());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        });
        return completion.Task;
    }

    /// <summary>Reads the identity of a namespace file (for tests and drift checks).</summary>
    public static NamespaceIdentity IdentityOf(string path) => IdentityOf(path, System.Text.Encoding.UTF8.GetBytes(path + "\0"));

    private static unsafe NamespaceIdentity IdentityOf(string path, byte[] nulTerminated)
    {
        stat st;
        fixed (byte* p = nulTerminated)
        {
            if (stat(p, &st) != 0)
            {
                throw new IOException($"stat {path}: {LinuxErrors.Describe((LinuxError)errno)}");
            }
        }

        return new NamespaceIdentity(st.st_dev, st.st_ino);
    }

    public void Dispose()
    {
        _jobs.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _jobs.Dispose();
    }

    private void Execute<T>(NetnsRef netns, Func<T> job, TaskCompletionSource<T> completion)
    {
        T result;
        try
        {
            using var target = OpenNamespace(netns);
            Enter(netns, target);
            try
            {
                result = job();
            }
            finally
            {
                ReturnHome();
            }
        }
        catch (Exception e)
        {
            completion.SetException(e);
            return;
        }

        completion.SetResult(result);
    }

    private void Run()
    {
        try
        {
            _host = FileDescriptors.Open(ThreadSelfNetns, O_RDONLY, out var error);
            if (_host.IsInvalid)
            {
                throw new IOException($"open {ThreadSelfNetns}: {LinuxErrors.Describe(error)}");
            }

            _started.SetResult(IdentityOf(ThreadSelfNetns));
        }
        catch (Exception e)
        {
            _started.SetException(e);
            return;
        }

        foreach (var job in _jobs.GetConsumingEnumerable())
        {
            job();
        }

        _host.Dispose();
    }

    private static void Enter(NetnsRef netns, SafeFileHandle target)
    {
        if (setns(FileDescriptors.Number(target), CLONE_NEWNET) != 0)
        {
            throw new NetnsException(netns, "setns", (LinuxError)errno);
        }
    }

    private void ReturnHome()
    {
        if (setns(FileDescriptors.Number(_host!), CLONE_NEWNET) != 0)
        {
            Environment.FailFast($"mnp-netns: cannot return to the host network namespace: {LinuxErrors.Describe((LinuxError)errno)}");
        }

        var now = IdentityOf(ThreadSelfNetns, ThreadSelfNetnsUtf8);
        if (now != HostNamespace)
        {
            Environment.FailFast($"mnp-netns: thread is in {now} after a job, expected host {HostNamespace}");
        }
    }

    /// <summary>The namespace's fd, held for the whole job: it pins the namespace even if its file is removed meanwhile.</summary>
    private static SafeFileHandle OpenNamespace(NetnsRef netns)
    {
        var handle = FileDescriptors.Open(netns.Path, O_RDONLY, out var error);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new NetnsException(netns, "open", error);
        }

        return handle;
    }

    /// <summary>Makes sure the pool's worker and gate threads exist before any job runs, so none is born in a pod.</summary>
    private static void WarmUpThreadPool()
    {
        var tasks = new Task[Math.Max(4, Environment.ProcessorCount * 2)];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(() => Thread.Sleep(1));
        }

        Task.WaitAll(tasks);
    }
}
