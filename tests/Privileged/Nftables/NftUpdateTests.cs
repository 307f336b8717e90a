using System.Net.Sockets;
using Mnp.Native.Nftables;
using Mnp.Policy.Cluster;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;
using Xunit.Abstractions;

namespace Mnp.Tests.Privileged.Nftables;

/// <summary>
/// The steady-state update (docs/native.md §15): the table and base chains stay, only what differs is replaced, still one
/// atomic batch. Checked against the kernel on random transitions (the real nft lists exactly the rendered text
/// after each) and under traffic (never open, never half-programmed).
/// </summary>
public sealed class NftUpdateTests(ITestOutputHelper output) : IDisposable
{
    private const int AllowedPort = 9292;
    private const int DroppedPort = 9191;
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    [PrivilegedFact]
    public async Task Random_transitions_keep_the_table_and_leave_exactly_the_rendered_text()
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new NftablesBackend(_executor);
        var random = new Random(20261201);
        var kept = 0;
        var tupleSets = 0;
        var steps = 80;
        var current = RandomPod(random);
        await backend.ApplyTableAsync(ns.Ref, NftRenderer.Render(current, PolicyOptions.Default));
        for (var step = 0; step < steps; step++)
        {
            current = Mutate(random, current);
            var table = NftRenderer.Render(current, PolicyOptions.Default);
            var result = await backend.ApplyTableAsync(ns.Ref, table);
            kept += result.KeptTable ? 1 : 0;
            tupleSets += table?.Sets.Count(s => s.IsConcatenation) ?? 0;

            var listed = await Sh.InNetnsAsync(ns.Name, "nft", "list", "ruleset");
            Assert.True((table is null ? "" : NftText.Write(table)) == listed, $"step {step} (kept table: {result.KeptTable}):\n{listed}");
            Assert.True((await backend.ReadTableAsync(ns.Ref)).Holds(table), $"step {step}: read-back differs");

            // Forget what we committed: the next apply reads the kernel and must find nothing to change.
            var again = await new NftablesBackend(_executor).ApplyTableAsync(ns.Ref, table);
            Assert.Equal(ApplyOutcome.Unchanged, again.Outcome);
        }

        output.WriteLine($"{kept} of {steps} transitions kept the table");
        Assert.True(tupleSets > 0, "no transition held an address . protocol . port set");
        Assert.True(kept >= steps / 2, $"only {kept} of {steps} transitions kept the table");
    }

    [PrivilegedFact]
    public async Task Updating_under_traffic_never_opens_the_pod_nor_drops_what_both_tables_allow()
    {
        await using var client = await TestNetns.CreateAsync();
        await using var server = await TestNetns.CreateAsync();
        await TrafficTests.ConnectAsync(client, server);
        using var allowed = await BindAsync(server, AllowedPort);
        using var dropped = await BindAsync(server, DroppedPort);
        using var sender = await _executor.RunAsync(client.Ref, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        var toAllowed = new IPEndPoint(TrafficTests.ServerAddress, AllowedPort);
        var toDropped = new IPEndPoint(TrafficTests.ServerAddress, DroppedPort);
        var payload = new byte[16];
        await NftReplaceLeakTests.AssertReachableAsync(sender, allowed, toAllowed);

        // Both tables allow the allowed port (through a peer set and a port set whose elements differ, under rules whose
        // comments differ) and deny the other: every update flushes and refills the chain and edits both sets.
        var backend = new NftablesBackend(_executor);
        NftTable[] tables = [TrafficTable(0), TrafficTable(1)];
        await backend.ApplyTableAsync(server.Ref, tables[0]);
        var received = 0;
        var leaked = 0;
        using var stop = new CancellationTokenSource();
        var receiving = Task.Run(() =>
        {
            var buffer = new byte[64];
            while (!stop.IsCancellationRequested || allowed.Poll(TimeSpan.FromMilliseconds(300), SelectMode.SelectRead))
            {
                if (allowed.Poll(TimeSpan.FromMilliseconds(1), SelectMode.SelectRead))
                {
                    allowed.Receive(buffer);
                    Interlocked.Increment(ref received);
                }

                if (dropped.Poll(TimeSpan.Zero, SelectMode.SelectRead))
                {
                    dropped.Receive(buffer);
                    Interlocked.Increment(ref leaked);
                }
            }
        });
        var sent = 0;
        var sending = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await sender.SendToAsync(payload, toDropped);
                await sender.SendToAsync(payload, toAllowed);
                Interlocked.Increment(ref sent);

                // At most a few hundred in flight, so that no queue on the way overflows: a loss is the rules' doing.
                for (var wait = 0; sent - Volatile.Read(ref received) > 200 && wait < 100; wait++)
                {
                    await Task.Delay(1);
                }
            }
        });

        // Updates while traffic flows: at least 300, and on until 2,000 pairs went through them (an update is ~1 ms).
        while (Volatile.Read(ref sent) < 20)
        {
            await Task.Delay(1);
        }

        var updates = 0;
        var commits = 0;
        for (var i = 0; (i < 300 || Volatile.Read(ref sent) < 2000) && i < 100_000; i++)
        {
            var result = await backend.ApplyTableAsync(server.Ref, tables[(i + 1) % 2]);
            commits++;
            updates += result.Outcome == ApplyOutcome.Committed && result.KeptTable ? 1 : 0;
        }

        await stop.CancelAsync();
        await sending;
        await receiving;
        output.WriteLine($"{updates} updates, {sent} datagram pairs, {received} allowed arrived, {leaked} leaked");
        Assert.Equal(commits, updates);
        Assert.True(sent >= 2000, $"only {sent} datagram pairs sent during the updates");
        Assert.Equal(0, leaked);
        Assert.Equal(sent, received);
    }

    private static NftTable TrafficTable(int variant)
    {
        var peers = new[] { new PeerMatch(new IPNetwork(TrafficTests.ClientAddress, 32), []), new PeerMatch(IPNetwork.Parse($"10.77.{variant}.0/24"), []) };
        var allowance = new Allowance(new RuleOrigin($"x/p{variant}", Direction.Ingress, 0), false, [.. peers], false,
            [new PortRange(Protocol.Udp, AllowedPort, AllowedPort), new PortRange(Protocol.Udp, 7000 + variant, 7000 + variant)]);
        var ingress = new DirectionRules(true, ["x/p"], [allowance]);
        return NftRenderer.Render(new PodRules(null!, [new InterfaceRules("vs", new("x", "n"), [], ingress, DirectionRules.Open)]), PolicyOptions.Default)!;
    }

    private Task<Socket> BindAsync(TestNetns server, int port) => _executor.RunAsync(server.Ref, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        socket.Bind(new IPEndPoint(TrafficTests.ServerAddress, port));
        return socket;
    });

    /// <summary>A pod with one to three interfaces, each direction isolated or not, with a few random allowances.</summary>
    private static PodRules RandomPod(Random random)
    {
        var interfaces = new List<InterfaceRules>();
        foreach (var name in new[] { "net1", "net2", "net3" }.Where(_ => random.Next(3) > 0))
        {
            interfaces.Add(new InterfaceRules(name, new("x", name), [], RandomDirection(random, Direction.Ingress), RandomDirection(random, Direction.Egress)));
        }

        return new PodRules(null!, [.. interfaces]);
    }

    /// <summary>Mostly small changes (one allowance's peers or ports, one added or removed), sometimes a new pod.</summary>
    private static PodRules Mutate(Random random, PodRules pod)
    {
        if (pod.Interfaces.IsEmpty || random.Next(10) == 0)
        {
            return RandomPod(random);
        }

        var index = random.Next(pod.Interfaces.Length);
        var iface = pod.Interfaces[index];
        var ingress = random.Next(2) == 0;
        var rules = ingress ? iface.Ingress : iface.Egress;
        var allowances = rules.Allowances.ToList();
        switch (random.Next(5))
        {
            case 3 when !ingress:
                // Egress named ports resolved per destination: a run of one rule's allowances, pod addresses, single ports.
                var origin = new RuleOrigin($"x/named{random.Next(3)}", Direction.Egress, allowances.Count);
                for (var d = random.Next(2, 4); d > 0; d--)
                {
                    var host = random.Next(2) == 0 ? $"10.9.5.{random.Next(1, 9)}/32" : $"fd00::5:{random.Next(1, 9)}/128";
                    allowances.Add(new Allowance(origin, false, [new PeerMatch(IPNetwork.Parse(host), [])], false,
                        [new PortRange(random.Next(2) == 0 ? Protocol.Tcp : Protocol.Udp, 8000 + (d % 4), 8000 + (d % 4))]));
                }

                break;
            case 0 when allowances.Count > 0:
                var k = random.Next(allowances.Count);
                allowances[k] = allowances[k] with { Peers = [.. RandomPeers(random)] };
                break;
            case 1 when allowances.Count > 0:
                var j = random.Next(allowances.Count);
                allowances[j] = allowances[j] with { Ports = [.. RandomPorts(random)], AnyPort = false };
                break;
            case 2 when allowances.Count > 0:
                allowances.RemoveAt(allowances.Count - 1);
                break;
            default:
                allowances.Add(RandomAllowance(random, ingress ? Direction.Ingress : Direction.Egress, allowances.Count));
                break;
        }

        var changed = rules with { Isolated = true, Allowances = [.. allowances] };
        iface = ingress ? iface with { Ingress = changed } : iface with { Egress = changed };
        return pod with { Interfaces = pod.Interfaces.SetItem(index, iface) };
    }

    private static DirectionRules RandomDirection(Random random, Direction direction)
    {
        if (random.Next(3) == 0)
        {
            return DirectionRules.Open;
        }

        return new DirectionRules(true, ["x/p"], [.. Enumerable.Range(0, random.Next(4)).Select(k => RandomAllowance(random, direction, k))]);
    }

    private static Allowance RandomAllowance(Random random, Direction direction, int rule)
    {
        var anyPeer = random.Next(6) == 0;
        var anyPort = random.Next(4) == 0;
        return new Allowance(new RuleOrigin($"x/p{random.Next(3)}", direction, rule), anyPeer, anyPeer ? [] : [.. RandomPeers(random)], anyPort, anyPort ? [] : [.. RandomPorts(random)]);
    }

    private static IEnumerable<PeerMatch> RandomPeers(Random random)
    {
        for (var i = random.Next(1, 5); i > 0; i--)
        {
            yield return random.Next(4) switch
            {
                0 => new PeerMatch(IPNetwork.Parse($"10.{random.Next(4)}.0.0/16"), [IPNetwork.Parse($"10.{random.Next(4)}.{random.Next(4)}.0/24")]),
                1 => new PeerMatch(IPNetwork.Parse($"fd00::{random.Next(16):x}/128"), []),
                _ => new PeerMatch(IPNetwork.Parse($"10.9.{random.Next(3)}.{random.Next(8)}/32"), []),
            };
        }
    }

    private static IEnumerable<PortRange> RandomPorts(Random random)
    {
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var protocol = random.Next(3) switch { 0 => Protocol.Udp, 1 => Protocol.Sctp, _ => Protocol.Tcp };
            var from = 80 + random.Next(20);
            yield return new PortRange(protocol, from, from + (random.Next(3) == 0 ? random.Next(1, 5) : 0));
        }
    }
}
