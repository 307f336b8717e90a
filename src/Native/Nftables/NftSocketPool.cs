using System.Collections.Concurrent;
using Mnp.Native.Netns;

namespace Mnp.Native.Nftables;

/// <summary>
/// One netlink socket kept per namespace between syncs, closed after <see cref="IdleLimit"/> without use. Closing a
/// NETLINK_NETFILTER socket right after a batch that deleted anything holds the namespace's nf_tables commit mutex
/// while the kernel waits for its deferred destruction (an RCU grace period, about 14 ms here): the next commit to
/// that namespace waited for it. A socket closed once idle finds nothing left to wait for. A kept socket also pins
/// its namespace, which is why the limit is short. Keyed by the namespace file's identity, so a namespace made anew
/// at the same path gets a new socket; a path that is gone is opened, and fails with the executor's typed error.
/// </summary>
internal sealed class NftSocketPool(NetnsExecutor executor)
{
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<NamespaceIdentity, PooledNftSocket> _sockets = new();
    private readonly Lock _sweeperGate = new();
    private Timer? _sweeper;

    /// <summary>Runs <paramref name="work"/> with this namespace's socket to itself (a second concurrent user gets a socket of its own, closed after).</summary>
    public async Task<T> UseAsync<T>(NetnsRef netns, Func<NftSocket, NamespaceIdentity, T> work)
    {
        ArgumentNullException.ThrowIfNull(netns);
        var known = TryIdentity(netns.Path);
        PooledNftSocket? pooled = null;
        if (known is { } key && _sockets.TryGetValue(key, out var existing) && existing.TryAcquire())
        {
            pooled = existing;
        }

        var socket = pooled?.Socket ?? await NftSocket.OpenAsync(executor, netns).ConfigureAwait(false);
        var identity = known ?? NetnsExecutor.IdentityOf(netns.Path);
        if (pooled is null)
        {
            var fresh = new PooledNftSocket(socket);
            if (fresh.TryAcquire() && _sockets.TryAdd(identity, fresh))
            {
                pooled = fresh;
                StartSweeper();
            }
        }

        var closed = false;
        try
        {
            return work(socket, identity);
        }
        catch
        {
            // After a failure the socket may hold replies nobody read: never reuse it.
            if (pooled is not null && _sockets.TryRemove(new KeyValuePair<NamespaceIdentity, PooledNftSocket>(identity, pooled)))
            {
                pooled.Close();
                closed = true;
            }

            throw;
        }
        finally
        {
            if (closed)
            {
                // closed above
            }
            else if (pooled is not null)
            {
                pooled.Release();
            }
            else
            {
                _ = Task.Run(socket.Dispose); // not kept: its close may wait for RCU, never on the sync's path
            }
        }
    }

    /// <summary>Sockets currently kept (tests).</summary>
    internal int Count => _sockets.Count;

    private static NamespaceIdentity? TryIdentity(string path)
    {
        try
        {
            return NetnsExecutor.IdentityOf(path);
        }
        catch (IOException)
        {
            return null; // opening it gives the typed error
        }
    }

    private void StartSweeper()
    {
        lock (_sweeperGate)
        {
            _sweeper ??= new Timer(_ => Sweep(), null, IdleLimit, IdleLimit);
        }
    }

    private void Sweep()
    {
        foreach (var (identity, pooled) in _sockets)
        {
            if (pooled.IdleFor > IdleLimit && pooled.TryAcquire())
            {
                _sockets.TryRemove(new KeyValuePair<NamespaceIdentity, PooledNftSocket>(identity, pooled));
                pooled.Close();
            }
        }

        lock (_sweeperGate)
        {
            if (_sockets.IsEmpty && _sweeper is not null)
            {
                _sweeper.Dispose();
                _sweeper = null;
            }
        }
    }
}
