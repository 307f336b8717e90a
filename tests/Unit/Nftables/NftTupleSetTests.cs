using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Nftables;

/// <summary>
/// Exact (address, protocol, port) allowances are one concatenated lookup per family. Egress named ports resolve per destination pod: the compiler gives each group of destinations whose names resolve
/// alike its own allowance, and the renderer turns that run into one <c>ip daddr . meta l4proto . th dport</c> lookup
/// per family, so that each address is allowed only its own ports (a union of addresses and ports would not be).
/// </summary>
public sealed class NftTupleSetTests
{
    private static readonly RuleOrigin Origin = new("x/to-web", Direction.Egress, 0);
    private static readonly IPAddress Source = IPAddress.Parse("10.0.1.1");

    [Fact]
    public void A_run_of_per_destination_allowances_is_one_concatenated_lookup_per_family()
    {
        var table = Render(
            new Allowance(Origin, false, [Host("10.0.7.1"), Host("fd00::7:1")], false, [Port(Protocol.Tcp, 8080)]),
            new Allowance(Origin, false, [Host("10.0.7.2"), Host("fd00::7:2")], false, [Port(Protocol.Tcp, 9090), Port(Protocol.Udp, 53)]));

        var chain = table.Chains.Single(c => c.Name == "egress-net1");
        Assert.Equal(
        [
            "icmpv6 type 133-137 accept",
            "ip daddr . meta l4proto . th dport @egress-net1-0-v4 accept comment \"x/to-web egress[0]\"",
            "ip6 daddr . meta l4proto . th dport @egress-net1-0-v6 accept comment \"x/to-web egress[0]\"",
            "drop comment \"mnp: egress default deny\"",
        ],
            chain.Rules.Select(NftText.Rule));
        // 9090 (0x2382) before 8080 (0x1f90): nft orders by the port's low byte first.
        Assert.Contains(
            "\t\ttype ipv4_addr . inet_proto . inet_service\n\t\telements = { 10.0.7.2 . udp . 53,\n\t\t\t     10.0.7.2 . tcp . 9090,\n\t\t\t     10.0.7.1 . tcp . 8080 }\n",
            NftText.Write(table), StringComparison.Ordinal);

        Assert.True(Allows(table, "10.0.7.1", NetfilterProtocol.Tcp, 8080));
        Assert.False(Allows(table, "10.0.7.1", NetfilterProtocol.Tcp, 9090));
        Assert.False(Allows(table, "10.0.7.2", NetfilterProtocol.Tcp, 8080));
        Assert.True(Allows(table, "10.0.7.2", NetfilterProtocol.Udp, 53));
        Assert.False(Allows(table, "10.0.7.1", NetfilterProtocol.Udp, 53));
        Assert.True(Allows(table, "fd00::7:2", NetfilterProtocol.Tcp, 9090));
        Assert.False(Allows(table, "fd00::7:1", NetfilterProtocol.Tcp, 9090));
    }

    [Fact]
    public void On_a_compiled_cluster_the_classifier_agrees_with_the_evaluator_and_a_crossed_set_would_not()
    {
        var cluster = CompilerModel.Cluster(dualStack: true)
            .Pod("y", "w1", [("app", "web")], [(CompilerModel.Network, "net1", ["10.0.7.1", "fd00::7:1"])], [new ContainerPort("web", 8080, Protocol.Tcp)])
            .Pod("y", "w2", [("app", "web")], [(CompilerModel.Network, "net1", ["10.0.7.2", "fd00::7:2"])],
                [new ContainerPort("web", 9090, Protocol.Tcp), new ContainerPort("dns", 53, Protocol.Udp)])
            .Policy(Egress("x", "to-web", Sel.Labels(("pod", "a")), CompilerModel.Network,
                Rule([PodsIn(Sel.All, Sel.Labels(("app", "web")))], [Named("web"), Named("dns", Protocol.Udp), Tcp(443)])))
            .Build();
        var source = cluster.Pods.Single(p => p.Key == "x/a");
        var rules = PolicyCompiler.Compile(cluster, TestCluster.Node, PolicyOptions.Default).Single(p => p.Pod.Key == "x/a");
        var table = NftRenderer.Render(rules, PolicyOptions.Default)!;
        Assert.Equal(2, table.Sets.Count(s => s.IsConcatenation));
        var crossed = Crossed(table);

        var evaluator = new PolicyEvaluator(cluster, PolicyOptions.Default);
        NetworkRef.TryParse(CompilerModel.Network, "", out var network);
        var checkedFlows = 0;
        var crossedDisagree = 0;
        foreach (var destination in cluster.Pods.Where(p => p.Key != "x/a" && p.Interfaces.Any(i => i.Network == network)))
        {
            foreach (var (from, to) in source.Interfaces[0].Addresses.Zip(destination.Interfaces.Single(i => i.Network == network).Addresses))
            {
                foreach (var (port, protocol) in new[] { (8080, Protocol.Tcp), (9090, Protocol.Tcp), (53, Protocol.Udp), (443, Protocol.Tcp), (80, Protocol.Tcp) })
                {
                    var expected = evaluator.Decide(source, from, destination, to, network, port, protocol).Allowed;
                    var packet = new NetfilterPacket(
                        to.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IpFamily.V4 : IpFamily.V6, null, "net1", from, to, (NetfilterProtocol)(int)protocol, port);
                    Assert.True(expected == NftClassifier.Accepts(table, packet), $"{destination.Key} {to} {protocol}/{port}: evaluator {expected}");
                    crossedDisagree += expected != NftClassifier.Accepts(crossed, packet) ? 1 : 0;
                    checkedFlows++;
                }
            }
        }

        Assert.True(checkedFlows > 50, $"{checkedFlows} flows");
        Assert.True(crossedDisagree >= 4, $"the crossed set disagrees on {crossedDisagree} flows");
    }

    /// <summary>
    /// Ingress: two policies, each one port from other pods, are one <c>ip saddr . meta l4proto . th dport</c> lookup
    /// per family (each peer gets only its policy's port), the port range keeps its own rule; the classifier agrees with
    /// the evaluator on every flow, and a set that lost its tuples or crossed them would not.
    /// </summary>
    [Fact]
    public void Exact_ingress_allowances_of_several_policies_are_one_source_lookup_that_agrees_with_the_evaluator()
    {
        var cluster = CompilerModel.Cluster(dualStack: true)
            .Policy(Ingress("x", "from-b", Sel.Labels(("pod", "a")), CompilerModel.Network, Rule([PodsIn(Sel.All, Sel.Labels(("pod", "b")))], [Tcp(80)])))
            .Policy(Ingress("x", "from-c", Sel.Labels(("pod", "a")), CompilerModel.Network, Rule([PodsIn(Sel.All, Sel.Labels(("pod", "c")))], [Udp(81)])))
            .Policy(Ingress("x", "range", Sel.Labels(("pod", "a")), CompilerModel.Network, Rule([PodsIn(Sel.Labels(("kubernetes.io/metadata.name", "z")), Sel.All)], [Tcp(9000, 9010)])))
            .Build();
        var target = cluster.Pods.Single(p => p.Key == "x/a");
        var rules = PolicyCompiler.Compile(cluster, TestCluster.Node, PolicyOptions.Default).Single(p => p.Pod.Key == "x/a");
        var table = NftRenderer.Render(rules, PolicyOptions.Default)!;

        var chain = table.Chains.Single(c => c.Name == "ingress-net1").Rules.Select(NftText.Rule).ToList();
        Assert.Contains("ip saddr . meta l4proto . th dport @ingress-net1-0-v4 accept comment \"x/from-b ingress[0], x/from-c ingress[0]\"", chain);
        Assert.Contains("ip6 saddr . meta l4proto . th dport @ingress-net1-0-v6 accept comment \"x/from-b ingress[0], x/from-c ingress[0]\"", chain);
        Assert.Contains(chain, r => r.StartsWith("ip saddr @", StringComparison.Ordinal) && r.Contains("tcp dport 9000-9010", StringComparison.Ordinal));
        var v4 = table.Sets.Single(s => s.Name == "ingress-net1-0-v4");
        Assert.Equal(6, v4.Tuples.Length); // b of x, y, z on tcp/80; c of x, y, z on udp/81
        Assert.Contains(
            "\t\ttype ipv4_addr . inet_proto . inet_service\n\t\telements = { 10.0.1.2 . tcp . 80,\n\t\t\t     10.0.2.2 . tcp . 80,",
            NftText.Write(table), StringComparison.Ordinal);

        var emptied = table with { Sets = [.. table.Sets.Select(s => s.IsConcatenation ? s with { Tuples = [] } : s)] };
        var crossed = Crossed(table);
        var evaluator = new PolicyEvaluator(cluster, PolicyOptions.Default);
        NetworkRef.TryParse(CompilerModel.Network, "", out var network);
        var (checkedFlows, emptiedDisagree, crossedDisagree) = (0, 0, 0);
        foreach (var source in cluster.Pods.Where(p => p.Key != "x/a"))
        {
            foreach (var (from, to) in source.Interfaces.Single(i => i.Network == network).Addresses.Zip(target.Interfaces[0].Addresses))
            {
                foreach (var (port, protocol) in new[] { (80, Protocol.Tcp), (81, Protocol.Udp), (80, Protocol.Udp), (81, Protocol.Tcp), (9005, Protocol.Tcp) })
                {
                    var expected = evaluator.Decide(source, from, target, to, network, port, protocol).Allowed;
                    var packet = new NetfilterPacket(
                        to.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IpFamily.V4 : IpFamily.V6, "net1", null, from, to, (NetfilterProtocol)(int)protocol, port);
                    Assert.True(expected == NftClassifier.Accepts(table, packet), $"{source.Key} {from} {protocol}/{port}: evaluator {expected}");
                    emptiedDisagree += expected != NftClassifier.Accepts(emptied, packet) ? 1 : 0;
                    crossedDisagree += expected != NftClassifier.Accepts(crossed, packet) ? 1 : 0;
                    checkedFlows++;
                }
            }
        }

        Assert.True(checkedFlows >= 80, $"{checkedFlows} flows");
        Assert.Equal(12, emptiedDisagree); // every allowed tuple flow, both families
        Assert.True(crossedDisagree >= 12, $"the crossed set disagrees on {crossedDisagree} flows");
    }

    [Fact]
    public void A_lone_exact_allowance_ranges_or_blocks_keep_the_plain_layout_in_either_direction()
    {
        var single = Render(new Allowance(Origin, false, [Host("10.0.7.1"), Host("10.0.7.2")], false, [Port(Protocol.Tcp, 8080)]));
        var ingress = NftRenderer.Render(new PodRules(null!, [new InterfaceRules("net1", new NetworkRef("x", "n"), [],
            new DirectionRules(true, ["x/p"], [new Allowance(Origin with { Direction = Direction.Ingress }, false, [Host("10.0.7.1"), Host("10.0.7.2")], false, [Port(Protocol.Udp, 53)])]),
            DirectionRules.Open)]), PolicyOptions.Default)!;
        var range = Render(
            new Allowance(Origin, false, [Host("10.0.7.1")], false, [new PortRange(Protocol.Tcp, 8000, 8080)]),
            new Allowance(Origin, false, [Host("10.0.7.2")], false, [Port(Protocol.Tcp, 9090)]));
        var block = Render(
            new Allowance(Origin, false, [new PeerMatch(IPNetwork.Parse("10.0.7.0/24"), [])], false, [Port(Protocol.Tcp, 8080)]),
            new Allowance(Origin, false, [Host("10.0.7.2")], false, [Port(Protocol.Tcp, 9090)]));

        Assert.All(new[] { single, ingress, range, block }, table => Assert.DoesNotContain(table.Sets, s => s.IsConcatenation));
        Assert.Contains("ip saddr @ingress-net1-0-v4 udp dport 53 accept comment \"x/to-web ingress[0]\"", ingress.Chains.SelectMany(c => c.Rules).Select(NftText.Rule));
    }

    [Fact]
    public void Listing_order_is_nfts_the_key_read_as_one_little_endian_number()
    {
        // As nft 1.0.6 listed these (checked by hand): 256 before 2 (low byte first), tcp before udp, then the
        // address from its last byte.
        var tuples = new[]
        {
            Tuple("9.0.0.200", 6, 2), Tuple("10.0.0.2", 6, 256), Tuple("1.2.3.4", 17, 2), Tuple("10.0.0.1", 6, 2), Tuple("11.0.0.1", 6, 2), Tuple("10.0.0.2", 6, 2),
        };

        Assert.Equal(
            ["10.0.0.2.6.256", "10.0.0.1.6.2", "11.0.0.1.6.2", "10.0.0.2.6.2", "9.0.0.200.6.2", "1.2.3.4.17.2"],
            NftSet.SortTuples(tuples, v6: false).Select(t => $"{NftIntervals.ToAddress(t.Address, false)}.{t.Protocol}.{t.Port}"));
        Assert.Equal(
            ["fe00::", "fc00::1:0", "fd00::2"],
            NftSet.SortTuples([Tuple("fd00::2", 6, 2), Tuple("fc00::1:0", 6, 2), Tuple("fe00::", 6, 2)], v6: true).Select(t => NftIntervals.ToAddress(t.Address, true).ToString()));
    }

    /// <summary>Every address of a concatenation given every port of the set (a union of addresses and ports).</summary>
    private static NftTable Crossed(NftTable table) => table with
    {
        Sets = [.. table.Sets.Select(s => s.IsConcatenation
            ? s with { Tuples = NftSet.SortTuples(s.Tuples.SelectMany(a => s.Tuples.Select(t => t with { Address = a.Address })), s.KeyType == NftSetKeyType.Ipv6ProtoService) }
            : s)],
    };

    private static NftConcatKey Tuple(string address, byte protocol, ushort port) => new(NftIntervals.ToKey(IPAddress.Parse(address)), protocol, port);

    private static bool Allows(NftTable table, string destination, NetfilterProtocol protocol, int port)
    {
        var to = IPAddress.Parse(destination);
        var from = to.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? Source : IPAddress.Parse("fd00::1:1");
        return NftClassifier.Accepts(table, new NetfilterPacket(
            to.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IpFamily.V4 : IpFamily.V6, null, "net1", from, to, protocol, port));
    }

    private static PeerMatch Host(string address)
    {
        var ip = IPAddress.Parse(address);
        return new PeerMatch(new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128), []);
    }

    private static PortRange Port(Protocol protocol, int port) => new(protocol, port, port);

    private static NftTable Render(params Allowance[] allowances)
    {
        var egress = new DirectionRules(true, ["x/to-web"], [.. allowances]);
        return NftRenderer.Render(new PodRules(null!, [new InterfaceRules("net1", new NetworkRef("x", "n"), [], DirectionRules.Open, egress)]), PolicyOptions.Default)!;
    }
}
