using System.Net;
using Mnp.Native.Netns;
using static Mnp.Bench.BenchSyscalls;

namespace Mnp.Bench;

/// <summary>
/// A listening socket made in a pod's namespace and a thread, pinned to its own CPU, that accepts and closes every
/// connection with raw system calls (a managed <c>Socket</c> per connection would make garbage whose collections
/// stop the client too). The socket stays in that namespace; the thread need not be there.
/// </summary>
internal sealed class ConnectionSink : IDisposable
{
    /// <summary>
    /// The accept queue: more than a window's connections, so a window never depends on how soon the accepting thread
    /// gets its CPU (with the default 4,096, a busy machine overflowed it, and the SYN lost cost a 1 s retransmit).
    /// </summary>
    public const int Backlog = 65_535;
    private readonly int _listener;
    private readonly int _cpu;
    private readonly Thread _acceptor;
    private volatile bool _stopping;

    private ConnectionSink(int listener, int cpu)
    {
        _listener = listener;
        _cpu = cpu;
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "peer-rate-accept" };
        _acceptor.Start();
    }

    public static async Task<ConnectionSink> StartAsync(NetnsExecutor executor, NetnsRef netns, IPEndPoint endpoint, int cpu)
    {
        var listener = await executor.RunAsync(netns, () => Listen(endpoint)).ConfigureAwait(false);
        return new ConnectionSink(listener, cpu);
    }

    /// <summary>Connections the namespace's listeners dropped because their accept queue was full (TcpExtListenOverflows); call on a thread in that namespace.</summary>
    public static long ListenOverflows()
    {
        var lines = File.ReadAllLines("/proc/thread-self/net/netstat").Where(l => l.StartsWith("TcpExt:", StringComparison.Ordinal)).ToArray();
        var column = Array.IndexOf(lines[0].Split(' '), "ListenOverflows");
        return long.Parse(lines[1].Split(' ')[column], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        // close() does not wake a thread blocked in accept(); shutdown() does (accept returns EINVAL).
        _stopping = true;
        _ = Shutdown(_listener, ShutReadWrite);
        _acceptor.Join(TimeSpan.FromSeconds(5));
        _ = Close(_listener);
    }

    /// <summary>In the server's namespace (the lab's own): lets <c>listen</c> have a <see cref="Backlog"/> above the default cap of 4,096.</summary>
    private static unsafe int Listen(IPEndPoint endpoint)
    {
        File.WriteAllText("/proc/sys/net/core/somaxconn", Backlog.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var fd = Check(Socket(AfInet, SockStream | SockCloexec, 0), "socket");
        var address = SocketAddressIn.Of(endpoint.Address, endpoint.Port);
        if (Bind(fd, &address, 16) < 0 || BenchSyscalls.Listen(fd, Backlog) < 0)
        {
            var error = new IOException($"listen on {endpoint}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            _ = Close(fd);
            throw error;
        }

        return fd;
    }

    private unsafe void Accept()
    {
        _ = PinCurrentThread(_cpu);
        while (!_stopping)
        {
            var accepted = BenchSyscalls.Accept(_listener, null, null, SockCloexec);
            if (accepted >= 0)
            {
                _ = Close(accepted);
            }
        }
    }
}
