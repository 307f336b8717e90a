using System.Diagnostics;

namespace Mnp.Native.Nftables;

/// <summary>A kept socket: one user at a time, when it was last released, and closed for good once swept or failed.</summary>
internal sealed class PooledNftSocket(NftSocket socket)
{
    private int _busy;
    private bool _closed;
    private long _released = Stopwatch.GetTimestamp();

    public NftSocket Socket => socket;

    public TimeSpan IdleFor => Stopwatch.GetElapsedTime(Volatile.Read(ref _released));

    /// <summary>True when the caller now has the socket to itself; false while someone else uses it or once it is closed.</summary>
    public bool TryAcquire()
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        if (Volatile.Read(ref _closed))
        {
            Volatile.Write(ref _busy, 0);
            return false;
        }

        return true;
    }

    public void Release()
    {
        Volatile.Write(ref _released, Stopwatch.GetTimestamp());
        Volatile.Write(ref _busy, 0);
    }

    /// <summary>Called by the holder: nobody gets it again, and it is closed off the caller's path.</summary>
    public void Close()
    {
        Volatile.Write(ref _closed, true);
        Volatile.Write(ref _busy, 0);
        _ = Task.Run(socket.Dispose);
    }
}
