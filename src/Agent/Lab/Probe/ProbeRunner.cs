using System.Net;
using System.Net.Sockets;
using Mnp.Native;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;
using static Tmds.Linux.LibC;

namespace Mnp.Agent.Lab.Probe;

/// <summary>
/// Runs probes for real. Sockets are born inside the pods' namespaces (one executor job per pod that only calls
/// <c>socket</c>), then bound, connected and driven asynchronously from the thread pool in the host namespace.
/// A listener per destination address, port and protocol accepts TCP and echoes UDP; a TCP probe is connected
/// when the handshake completes, a UDP probe when the echo comes back, each within the per-attempt timeout.
/// </summary>
public sealed class ProbeRunner(NetnsExecutor executor)
{
    private const int ChunkSize = 256;

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs probes between the pods of <paramref name="state"/>, whose namespaces live under <paramref name="namespaces"/>.</summary>
    public Task<IReadOnlyList<ProbeResult>> RunAsync(
        LabState state, NamedNetns namespaces, IReadOnlyList<ProbeRequest> probes, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(namespaces);
        return RunAsync(
            probes,
            key => namespaces.RefOf((state.FindPod(key) ?? throw new LabException($"Pod {key}: not in lab {state.Name}")).Netns),
            timeout,
            cancellationToken);
    }

    public async Task<IReadOnlyList<ProbeResult>> RunAsync(
        IReadOnlyList<ProbeRequest> probes, Func<string, NetnsRef> netnsOfPod, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(netnsOfPod);
        var listenerKeys = probes.Select(p => new ProbeListenerKey(p.To, p.Address, p.Port, p.Protocol)).Distinct().ToList();
        var listenerSockets = await CreateSocketsAsync(listenerKeys, k => k.Pod, k => (k.Address.AddressFamily, k.Protocol), netnsOfPod).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var serving = new List<Task>();
        try
        {
            for (var i = 0; i < listenerKeys.Count; i++)
            {
                serving.Add(StartListener(listenerSockets[i], listenerKeys[i], stop.Token));
            }

            var connected = new bool[probes.Count];
            var window = ProbeWindow.Concurrent(listenerKeys.Count);
            var chunk = Math.Min(ChunkSize, window);
            var chunks = Enumerable.Range(0, (probes.Count + chunk - 1) / chunk).Select(c => (Start: c * chunk, Count: Math.Min(chunk, probes.Count - (c * chunk))));
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, window / chunk), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(chunks, parallel, (c, _) => new ValueTask(ProbeChunkAsync(probes, c.Start, c.Count, connected, netnsOfPod, timeout, cancellationToken))).ConfigureAwait(false);
            return [.. probes.Select((p, i) => new ProbeResult(p.From, p.To, p.Network.ToString(), p.Address.ToString(), p.Port, ProtocolName(p.Protocol), connected[i]))];
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var socket in listenerSockets)
            {
                socket.Dispose();
            }

            await Task.WhenAll(serving).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One chunk of probes: their client sockets exist only while the chunk runs, so open descriptors stay within
    /// the process limit however many pods the lab has (250 pods are 62,250 probes per port).
    /// </summary>
    private async Task ProbeChunkAsync(
        IReadOnlyList<ProbeRequest> probes, int start, int count, bool[] connected, Func<string, NetnsRef> netnsOfPod, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var slice = Enumerable.Range(start, count).Select(i => probes[i]).ToList();
        var clients = await CreateSocketsAsync(slice, p => p.From, p => (p.Address.AddressFamily, p.Protocol), netnsOfPod).ConfigureAwait(false);
        try
        {
            var results = await Task.WhenAll(slice.Select((p, i) => AttemptAsync(clients[i], p, timeout, cancellationToken))).ConfigureAwait(false);
            results.CopyTo(connected, start);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    public static string ProtocolName(Protocol protocol) => protocol switch
    {
        Protocol.Tcp => "TCP",
        Protocol.Udp => "UDP",
        _ => "SCTP",
    };

    /// <summary>Creates one socket per item, each in its pod's namespace: a single executor job per pod, which only calls <c>socket</c>.</summary>
    private async Task<Socket[]> CreateSocketsAsync<T>(
        IReadOnlyList<T> items, Func<T, string> podOf, Func<T, (AddressFamily Family, Protocol Protocol)> kindOf, Func<string, NetnsRef> netnsOfPod)
    {
        var sockets = new Socket[items.Count];
        try
        {
            foreach (var group in items.Select((item, index) => (item, index)).GroupBy(x => podOf(x.item), StringComparer.Ordinal))
            {
                var kinds = group.Select(x => kindOf(x.item)).ToArray();
                var handles = await executor.RunAsync(netnsOfPod(group.Key), () => OpenHandles(kinds)).ConfigureAwait(false);
                var indexes = group.Select(x => x.index).ToArray();
                for (var i = 0; i < handles.Length; i++)
                {
                    sockets[indexes[i]] = new Socket(handles[i]);
                }
            }

            return sockets;
        }
        catch
        {
            foreach (var socket in sockets.Where(s => s is not null))
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Runs inside a pod's namespace: plain socket calls, each owned by its handle at once, no tasks.</summary>
    private static SafeSocketHandle[] OpenHandles((AddressFamily Family, Protocol Protocol)[] kinds)
    {
        var handles = new SafeSocketHandle[kinds.Length];
        for (var i = 0; i < kinds.Length; i++)
        {
            var family = kinds[i].Family == AddressFamily.InterNetwork ? AF_INET : AF_INET6;
            var type = kinds[i].Protocol == Protocol.Udp ? SOCK_DGRAM : SOCK_STREAM;
            handles[i] = FileDescriptors.Socket(family, type, (int)kinds[i].Protocol, out var error);
            if (handles[i].IsInvalid)
            {
                for (var j = 0; j <= i; j++)
                {
                    handles[j].Dispose();
                }

                throw new IOException($"socket({kinds[i].Family}, {kinds[i].Protocol}): {LinuxErrors.Describe(error)}");
            }
        }

        return handles;
    }

    private static Task StartListener(Socket socket, ProbeListenerKey key, CancellationToken stop)
    {
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(key.Address, key.Port));
            if (key.Protocol == Protocol.Tcp)
            {
                socket.Listen(1024);
                return AcceptLoopAsync(socket, stop);
            }

            return EchoLoopAsync(socket, stop);
        }
        catch (SocketException e)
        {
            throw new LabException($"Pod {key.Pod}: cannot listen on {key.Address} port {key.Port}/{ProtocolName(key.Protocol)}: {e.Message}", e);
        }
    }

    private static async Task AcceptLoopAsync(Socket listener, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var accepted = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped: the probe run is over.
        }
    }

    private static async Task EchoLoopAsync(Socket listener, CancellationToken stop)
    {
        var buffer = new byte[512];
        EndPoint any = new IPEndPoint(listener.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var received = await listener.ReceiveFromAsync(buffer, SocketFlags.None, any, stop).ConfigureAwait(false);
                await listener.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, received.RemoteEndPoint, stop).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped: the probe run is over.
        }
    }

    private static async Task<bool> AttemptAsync(Socket client, ProbeRequest probe, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        var destination = new IPEndPoint(probe.Address, probe.Port);
        try
        {
            if (probe.Source is not null)
            {
                client.Bind(new IPEndPoint(probe.Source, 0));
            }

            await client.ConnectAsync(destination, attempt.Token).ConfigureAwait(false);
            if (probe.Protocol == Protocol.Tcp)
            {
                return true;
            }

            // UDP: connected when the echo of a unique payload comes back.
            var payload = Guid.NewGuid().ToByteArray();
            await client.SendAsync(payload, SocketFlags.None, attempt.Token).ConfigureAwait(false);
            var reply = new byte[payload.Length + 16];
            var received = await client.ReceiveAsync(reply, SocketFlags.None, attempt.Token).ConfigureAwait(false);
            return reply.AsSpan(0, received).SequenceEqual(payload);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
