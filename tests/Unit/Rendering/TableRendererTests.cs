using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;
using Mnp.Tests.Support;
using static Mnp.Tests.Support.CompilerModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Rendering;

/// <summary>Structural properties of the rendered table: multiport chunking, chain names, determinism.</summary>
public sealed class TableRendererTests
{
    [Fact]
    public void Ports_are_chunked_into_at_most_fifteen_multiport_slots_with_ranges_taking_two()
    {
        PortSpec[] ports = [.. Enumerable.Range(1, 20).Select(i => Tcp(i * 2)), .. Enumerable.Range(0, 7).Select(i => Range(Protocol.Udp, 1000 + (i * 10), 1005 + (i * 10))), Udp(5000), Udp(6000)];
        var rules = Compile(Cluster().Policy(Ingress("x", "many", Sel.Labels(("pod", "a")), Network, Rule(ports: ports))), "x/a");
        var chain = TableRenderer.Render(new PodRules(null!, [rules]), IpFamily.V4, PolicyOptions.Default).Chains.Single(c => c.Name == "MNP-IN-net1/1");

        Assert.Equal([15, 5, 15, 1], chain.Rules.Select(r => r.MultiportSlots));
        Assert.Equal([NetfilterProtocol.Tcp, NetfilterProtocol.Tcp, NetfilterProtocol.Udp, NetfilterProtocol.Udp], chain.Rules.Select(r => r.Protocol!.Value));
        Assert.Equal(40, chain.Rules[1].DestinationPorts[^1].From);
        Assert.Equal((5000, 5000), chain.Rules[2].DestinationPorts[^1]);
    }

    [Fact]
    public void Chain_names_keep_plain_interface_names_and_fall_back_to_the_interface_position_only_when_needed()
    {
        const string longName = "abcdefghijklmno";

        Assert.Equal("MNP-IN-abcdefghijklmno/1.1", ChainNaming.For(ChainNaming.IngressTag, longName, 0, 1, 1));
        Assert.Equal("MNP-EG-%3/1000.10", ChainNaming.For(ChainNaming.EgressTag, longName, 3, 1000, 10));
        Assert.Equal("MNP-IN-%0", ChainNaming.For(ChainNaming.IngressTag, "n+", 0));
        Assert.Equal("MNP-IN-net1-1", ChainNaming.For(ChainNaming.IngressTag, "net1-1", 1));
        Assert.Equal("MNP-IN-net1/1", ChainNaming.For(ChainNaming.IngressTag, "net1", 0, 1));
    }

    [Fact]
    public void Every_rendered_chain_name_is_owned_and_short_enough_for_long_interface_names()
    {
        var cluster = new TestCluster()
            .Namespace("x")
            .Network("x", "n")
            .Pod("x", "a", [], [("n", "abcdefghijklmno", ["10.0.0.1", "fd00::1"])])
            .Pod("x", "b", [("peer", "yes")], [("n", "net1", ["10.0.0.2", "fd00::2"])]);
        // Over 1,000 allowances with excepts push sub-chain suffixes past what a 15-character interface leaves room for.
        for (var i = 0; i < 1005; i++)
        {
            cluster.Policy(Make("x", $"p{i}", Sel.All, "n", true, true,
                [Rule([Block($"10.{i % 250}.{i / 250}.0/24", $"10.{i % 250}.{i / 250}.128/25"), Pods(Sel.Labels(("peer", "yes")))], [Tcp(80), Udp(53)])],
                [Rule([Block($"fd00:{i:x}::/32", $"fd00:{i:x}:1::/48"), Block($"fd01:{i:x}::/32", $"fd01:{i:x}:2::/48")])]));
        }

        var pod = PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, PolicyOptions.Default).Single(p => p.Pod.Name == "a");
        var v4 = TableRenderer.Render(pod, IpFamily.V4, PolicyOptions.Default).Chains.Select(c => c.Name).ToList();
        var v6 = TableRenderer.Render(pod, IpFamily.V6, PolicyOptions.Default).Chains.Select(c => c.Name).ToList();
        var names = v4.Concat(v6).ToList();

        Assert.All(names.Where(n => !ChainNames.IsBuiltin(n)), n =>
        {
            Assert.StartsWith(ChainNames.OwnedPrefix, n, StringComparison.Ordinal);
            Assert.InRange(n.Length, 1, ChainNames.MaxLength);
        });
        Assert.Equal(v4.Count, v4.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(v6.Count, v6.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(names, n => n.StartsWith("MNP-IN-abcdefghijklmno/", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("MNP-IN-", StringComparison.Ordinal) && !n.Contains("abcdefghijklmno", StringComparison.Ordinal));
    }

    [Fact]
    public void Same_input_in_any_order_renders_the_same_bytes()
    {
        var cluster = Cluster(dualStack: true)
            .Policy(Make("x", "mixed", Sel.All, Network, true, true,
                [Rule([PodsIn(Sel.NotIn("kubernetes.io/metadata.name", "z"), Sel.In("pod", "a", "b")), Block("10.0.0.0/8", "10.0.3.0/24", "10.0.2.0/24")], [Tcp(81), Named("serve-80-tcp"), AllOf(Protocol.Udp)])],
                [Rule([PodsIn(Sel.All, Sel.All)], [Named("serve-81-udp", Protocol.Udp), Tcp(443)]), Rule(ports: [Sctp(9)])]))
            .Policy(Ingress("y", "other", Sel.All, Network, Rule([Pods(Sel.All)])))
            .Policy(Unparsable("z", "broken", Network));
        var snapshot = cluster.Build();
        var expected = RenderAll(snapshot);
        var random = new Random(1234);

        for (var round = 0; round < 5; round++)
        {
            var shuffled = snapshot with
            {
                Namespaces = [.. snapshot.Namespaces.OrderBy(_ => random.Next())],
                Pods = [.. snapshot.Pods.OrderBy(_ => random.Next())],
                Networks = [.. snapshot.Networks.OrderBy(_ => random.Next())],
                Policies = [.. snapshot.Policies.OrderBy(_ => random.Next()).Select(p => Shuffle(p, random))],
            };
            Assert.Equal(expected, RenderAll(shuffled));
        }
    }

    private static PolicyInfo Shuffle(PolicyInfo policy, Random random) => policy.Spec is null
        ? policy
        : policy with
        {
            Spec = policy.Spec with
            {
                Ingress = [.. policy.Spec.Ingress.Select(r => ShuffleRule(r, random))],
                Egress = [.. policy.Spec.Egress.Select(r => ShuffleRule(r, random))],
            },
        };

    private static PolicyRule ShuffleRule(PolicyRule rule, Random random) =>
        rule with { Peers = [.. rule.Peers.OrderBy(_ => random.Next())], Ports = [.. rule.Ports.OrderBy(_ => random.Next())] };

    private static string RenderAll(ClusterSnapshot snapshot) =>
        string.Concat(PolicyCompiler.Compile(snapshot, TestCluster.Node, PolicyOptions.Default).SelectMany(pod =>
            new[] { IpFamily.V4, IpFamily.V6 }.Select(f => pod.Pod.Key + "\n" + IptablesSaveWriter.Write(TableRenderer.Render(pod, f, PolicyOptions.Default)))));
}
