using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Rendering;

/// <summary>
/// <see cref="TableRenderer.OwnedChainCount"/> (what the agent's managed-chains gauge adds up, counted without rendering)
/// is the number of our chains <see cref="TableRenderer.Render"/> makes, in each family.
/// </summary>
public sealed class OwnedChainCountTests
{
    private static readonly NetworkRef Network = new("x", "n");

    [Property(MaxTest = 300)]
    public Property The_count_equals_the_rendered_chains_of_every_compiled_pod() =>
        Prop.ForAll(RandomClusters.Cluster.ToArbitrary(), cluster =>
            PolicyCompiler.Compile(cluster.Snapshot, null, PolicyOptions.Default).All(rules => CountsMatch(rules)));

    [Fact]
    public void Sub_chains_are_counted_for_port_chunks_excepts_and_peer_lists_per_family()
    {
        PortRange[] manyPorts = [.. Enumerable.Range(1, 20).Select(i => new PortRange(Protocol.Tcp, i, i))];
        var v4 = Peer("10.0.0.0/24");
        var v4Except = Peer("10.1.0.0/24", "10.1.0.0/28");
        var v6Except = Peer("fd00::/64", "fd00::/80");
        var ingress = Isolated(
            Allow(anyPeer: true, ports: manyPorts),                     // any peer, two port chunks: a dispatch chain
            Allow(peers: [v4], ports: [new PortRange(Protocol.Tcp, 80, 80)]), // one peer, one port: a direct rule
            Allow(peers: [v4Except], anyPort: true),                    // one excepted peer: its except chain
            Allow(peers: [v4, v4Except, v6Except], anyPort: true),      // v4: dispatch + one except chain; v6: one excepted peer
            Allow(peers: [v6Except], ports: manyPorts));                // only v6: nothing in v4, its except chain in v6
        var egress = Isolated(Allow(peers: [v4, Peer("10.2.0.0/24")], anyPort: true)); // two v4 peers: a dispatch chain, nothing in v6
        var rules = new PodRules(null!, [new InterfaceRules("net1", Network, [], ingress, egress), new InterfaceRules("net2", Network, [], DirectionRules.Open, DirectionRules.Open)]);

        // The direction chains, then the sub-chains allowance by allowance.
        Assert.Equal((1 + 1 + 0 + 1 + 2 + 0) + (1 + 1), TableRenderer.OwnedChainCount(rules, IpFamily.V4));
        Assert.Equal((1 + 1 + 0 + 0 + 1 + 1) + (1 + 0), TableRenderer.OwnedChainCount(rules, IpFamily.V6));
        Assert.True(CountsMatch(rules));
    }

    [Fact]
    public void Long_peer_lists_counted_once_and_remembered_still_count_per_list_and_family()
    {
        // Twelve peers (a remembered list): v4 ones with and without excepts, and v6 ones; then a list of the same
        // length with other excepts, so a count remembered for the first list would show in the second.
        PeerMatch[] mixed = [.. Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? Peer($"10.{i}.0.0/16", $"10.{i}.1.0/24") : Peer($"10.{i}.0.0/16")),
            .. Enumerable.Range(0, 4).Select(i => Peer($"fd0{i}::/64"))];
        PeerMatch[] fewerExcepts = [.. mixed.Select((p, i) => i < 6 ? p with { Except = [] } : p)];
        var first = OneAllowance(mixed);
        var second = OneAllowance(fewerExcepts);

        Assert.Equal(1 + 1 + 4, TableRenderer.OwnedChainCount(first, IpFamily.V4)); // direction chain, dispatch, 4 except chains
        Assert.Equal(1 + 1 + 4, TableRenderer.OwnedChainCount(first, IpFamily.V4));
        Assert.Equal(1 + 1, TableRenderer.OwnedChainCount(first, IpFamily.V6));
        Assert.Equal(1 + 1 + 1, TableRenderer.OwnedChainCount(second, IpFamily.V4)); // only peer 6 keeps its except
        Assert.True(CountsMatch(first) && CountsMatch(second));
    }

    private static PodRules OneAllowance(PeerMatch[] peers) =>
        new(null!, [new InterfaceRules("net1", Network, [], Isolated(Allow(peers: peers, anyPort: true)), DirectionRules.Open)]);

    private static bool CountsMatch(PodRules rules) =>
        new[] { IpFamily.V4, IpFamily.V6 }.All(family =>
            TableRenderer.OwnedChainCount(rules, family) == TableRenderer.Render(rules, family, PolicyOptions.Default).Chains.Count(c => ChainNames.IsOwned(c.Name)));

    private static PeerMatch Peer(string cidr, params string[] excepts) => new(IPNetwork.Parse(cidr), [.. excepts.Select(IPNetwork.Parse)]);

    private static Allowance Allow(bool anyPeer = false, PeerMatch[]? peers = null, bool anyPort = false, PortRange[]? ports = null) =>
        new(new RuleOrigin("x/p", Direction.Ingress, 0), anyPeer, [.. peers ?? []], anyPort, [.. ports ?? []]);

    private static DirectionRules Isolated(params Allowance[] allowances) => new(true, ["x/p"], [.. allowances]);
}
