using System.Net.Sockets;
using Mnp.Native.Nftables;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Privileged.Nftables;

/// <summary>
/// The base-chain pitfall (docs/native.md §15): a base chain re-created in a batch runs with policy accept until its
/// own commit step, so a drop policy leaks. Ours have policy accept and an explicit drop rule: while the table is
/// replaced hundreds of times under a UDP flood to a dropped port, not one datagram gets through.
/// </summary>
public sealed class NftReplaceLeakTests : IDisposable
{
    private const int DroppedPort = 9191;
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    [PrivilegedFact]
    public async Task Replacing_the_table_under_traffic_lets_no_packet_through_to_a_dropped_port()
    {
        await using var client = await TestNetns.CreateAsync();
        await using var server = await TestNetns.CreateAsync();
        await TrafficTests.ConnectAsync(client, server);
        using var receiver = await _executor.RunAsync(server.Ref, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(TrafficTests.ServerAddress, DroppedPort));
            return socket;
        });
        using var sender = await _executor.RunAsync(client.Ref, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        var target = new IPEndPoint(TrafficTests.ServerAddress, DroppedPort);
        var payload = new byte[16];

        await AssertReachableAsync(sender, receiver, target);

        // Whole replacements (delete the table, create it again: the repair shape), sent as the writer sends them;
        // the writer itself would update in place after the first commit.
        NftTable[] tables = [Table(8080), Table(8081)];
        using var socket = await NftSocket.OpenAsync(_executor, server.Ref);
        socket.Commit(NftBatchEncoder.Replace(tables[0], socket.GetGeneration(), NftSocket.BatchSequenceBase));
        using var stop = new CancellationTokenSource();
        var sent = 0;
        var flood = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await sender.SendToAsync(payload, target);
                Interlocked.Increment(ref sent);
            }
        });
        while (Volatile.Read(ref sent) < 20)
        {
            await Task.Delay(1);
        }

        var commits = 0;
        for (var i = 0; i < 300 || (Volatile.Read(ref sent) < 1000 && i < 100_000); i++)
        {
            socket.Commit(NftBatchEncoder.Replace(tables[(i + 1) % 2], socket.GetGeneration(), NftSocket.BatchSequenceBase));
            commits++;
        }

        await stop.CancelAsync();
        await flood;
        var leaked = 0;
        var buffer = new byte[64];
        while (receiver.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead))
        {
            receiver.Receive(buffer);
            leaked++;
        }

        Assert.True(commits >= 300, $"{commits} replacements");
        Assert.True(sent >= 1000, $"only {sent} datagrams sent during the replacements");
        Assert.Equal(0, leaked);
    }

    private static NftTable Table(int allowedPort)
    {
        var allowance = new Allowance(new RuleOrigin("x/p", Direction.Ingress, 0), false,
            [new PeerMatch(new IPNetwork(TrafficTests.ClientAddress, 32), [])], false, [new PortRange(Mnp.Policy.Cluster.Protocol.Udp, allowedPort, allowedPort)]);
        var ingress = new DirectionRules(true, ["x/p"], [allowance]);
        return NftRenderer.Render(new PodRules(null!, [new InterfaceRules("vs", new("x", "n"), [], ingress, DirectionRules.Open)]), PolicyOptions.Default)!;
    }

    /// <summary>Control: without our table the port is reachable (retried: the first datagram may wait for the link and ARP); then nothing is left queued.</summary>
    internal static async Task AssertReachableAsync(Socket sender, Socket receiver, IPEndPoint target)
    {
        var arrived = false;
        for (var i = 0; i < 20 && !arrived; i++)
        {
            await sender.SendToAsync(new byte[16], target);
            arrived = receiver.Poll(TimeSpan.FromMilliseconds(250), SelectMode.SelectRead);
        }

        Assert.True(arrived, "control datagram must arrive before any rule");
        await Task.Delay(300);
        while (receiver.Poll(TimeSpan.Zero, SelectMode.SelectRead))
        {
            receiver.Receive(new byte[64]);
        }
    }
}
