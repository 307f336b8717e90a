using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using static Mnp.Bench.BenchSyscalls;

namespace Mnp.Bench;

/// <summary>
/// The peer-rate client, run as one job on the netns executor's thread in the client's namespace: pinned to one CPU,
/// it opens connections with raw system calls (nothing allocated, so no collection stops it), each from the next
/// source port of its own range (bound explicitly: the kernel's random ephemeral ports repeat after a few thousand
/// connections, and a repeated tuple makes conntrack kill the old entry first, a cost that grows along the window),
/// and closes each with a reset (linger 0: no TIME_WAIT on either side).
/// </summary>
internal static class ClientConnections
{
    private const uint AddressLength = 16;

    /// <summary>
    /// <paramref name="warmUp"/> untimed connections, then <paramref name="timed"/> timed ones, from ports
    /// <paramref name="firstPort"/> upwards; a refused or failed connection throws.
    /// </summary>
    public static ConnectWindow Run(IPAddress source, IPEndPoint target, int firstPort, int warmUp, int timed, int cpu)
    {
        var previous = PinCurrentThread(cpu);
        try
        {
            var from = SocketAddressIn.Of(source, 0);
            var to = SocketAddressIn.Of(target.Address, target.Port);
            ConnectRange(from, to, firstPort, warmUp);
            var collections = GC.CollectionCount(0);
            var cpuBefore = ThreadCpuTime();
            var start = Stopwatch.GetTimestamp();
            var slowest = ConnectRange(from, to, firstPort + warmUp, timed);
            var wall = Stopwatch.GetElapsedTime(start);
            var clientCpu = ThreadCpuTime() - cpuBefore;
            return new ConnectWindow(timed, wall, clientCpu, TimeSpan.FromTicks(slowest * TimeSpan.TicksPerSecond / Stopwatch.Frequency), GC.CollectionCount(0) - collections);
        }
        finally
        {
            RestoreAffinity(previous);
        }
    }

    /// <summary>Returns the slowest connect, in stopwatch ticks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe long ConnectRange(SocketAddressIn from, SocketAddressIn to, int firstPort, int count)
    {
        var reset = stackalloc int[] { 1, 0 };
        long slowest = 0;
        for (var i = 0; i < count; i++)
        {
            var fd = Check(Socket(AfInet, SockStream | SockCloexec, 0), "socket");
            try
            {
                Check(SetSocketOption(fd, SolSocket, SoLinger, reset, 2 * sizeof(int)), "setsockopt SO_LINGER");
                var local = from.WithPort(firstPort + i);
                Check(Bind(fd, &local, AddressLength), "bind");
                var started = Stopwatch.GetTimestamp();
                Check(Connect(fd, &to, AddressLength), "connect");
                slowest = Math.Max(slowest, Stopwatch.GetTimestamp() - started);
            }
            finally
            {
                _ = Close(fd);
            }
        }

        return slowest;
    }
}
