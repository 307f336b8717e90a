namespace Mnp.Native.Iptables;

/// <summary>
/// The lock iptables tools take around their own read-modify-commit: an exclusive flock on <c>/run/xtables.lock</c>
/// (what .NET takes for <see cref="FileShare.None"/> on Linux; the DaemonSet mounts the host's file). Held from a
/// transaction's init to its commit, so mnp and the host's iptables, ip6tables and kube-proxy never race on one
/// table; it cannot order writers inside a pod (their own mount namespace, their own file), which the EAGAIN retry
/// covers. Waited for with short sleeps (the netns thread must not schedule timers), up to <see cref="Wait"/>. A file
/// that cannot be created (no /run, not root) is not a lock anyone else can take either: the transaction goes on.
/// </summary>
internal sealed class XtablesLock : IDisposable
{
    /// <summary>How .NET reports a flock another open file holds: an IOException whose HResult is the raw errno, EWOULDBLOCK.</summary>
    private const int WouldBlock = (int)LinuxError.EAGAIN;

    private readonly FileStream _file;

    private XtablesLock(FileStream file) => _file = file;

    /// <summary>The lock file (a test seam; the tools' default otherwise).</summary>
    public static string Path { get; set; } = "/run/xtables.lock";

    /// <summary>How long a transaction waits for another holder before it fails (retried on the next sync).</summary>
    public static TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Takes the lock; null when the file cannot exist here.</summary>
    /// <exception cref="XtablesLockException">Another process held it for all of <see cref="Wait"/>.</exception>
    public static XtablesLock? Acquire(string netns)
    {
        var path = Path;
        var deadline = Environment.TickCount64 + (long)Wait.TotalMilliseconds;
        while (true)
        {
            try
            {
                return new XtablesLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (e.HResult == WouldBlock)
            {
                if (Environment.TickCount64 >= deadline)
                {
                    throw new XtablesLockException($"netns {netns}: {path} is held by another process (an iptables tool?) for {Wait.TotalSeconds:0.#} s: not committed, retried on the next sync");
                }

                Thread.Sleep(5);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
