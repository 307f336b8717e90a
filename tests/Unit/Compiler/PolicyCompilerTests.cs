using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;
using Mnp.Tests.Unit.Support;
using static Mnp.Tests.Support.CompilerModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Compiler;

/// <summary>The compiled model for each construct of the table in docs/semantics.md §4.</summary>
public sealed class PolicyCompilerTests
{
    [Fact]
    public void Empty_ingress_isolates_and_allows_nothing_leaving_egress_open()
    {
        var rules = Compile(Cluster().Policy(Ingress("x", "deny", Sel.All, Network)), "x/a");

        Assert.True(rules.Ingress.Isolated);
        Assert.Empty(rules.Ingress.Allowances);
        Expect.Seq(["x/deny"], rules.Ingress.SelectingPolicies);
        Assert.False(rules.Egress.Isolated);
    }

    [Fact]
    public void Empty_rule_allows_every_peer_and_port()
    {
        var rules = Compile(Cluster().Policy(Ingress("x", "all", Sel.All, Network, Rule())), "x/b");

        var allowance = Assert.Single(rules.Ingress.Allowances);
        Assert.True(allowance.AnyPeer);
        Assert.True(allowance.AnyPort);
        Assert.Equal(new RuleOrigin("x/all", Direction.Ingress, 0), allowance.Origin);
    }

    [Fact]
    public void Ports_without_peers_allow_any_peer_on_those_ports()
    {
        var rules = Compile(Cluster().Policy(Ingress("x", "p", Sel.All, Network, Rule(ports: [Tcp(80), Udp(53)]))), "x/a");

        var allowance = Assert.Single(rules.Ingress.Allowances);
        Assert.True(allowance.AnyPeer);
        Expect.Seq([new PortRange(Protocol.Tcp, 80, 80), new PortRange(Protocol.Udp, 53, 53)], allowance.Ports);
    }

    [Fact]
    public void Pod_selector_peer_means_the_policy_namespace_only()
    {
        var policy = Ingress("x", "from-b", Sel.Labels(("pod", "a")), Network, Rule([Pods(Sel.Labels(("pod", "b")))]));
        var rules = Compile(Cluster().Policy(policy), "x/a");

        var allowance = Assert.Single(rules.Ingress.Allowances);
        Expect.Seq([Host(Ip("x/b"))], allowance.Peers);
        Assert.True(allowance.AnyPort);
    }

    [Fact]
    public void Empty_namespace_selector_means_every_pod_of_every_namespace()
    {
        var policy = Ingress("x", "all-ns", Sel.Labels(("pod", "a")), Network, Rule([PodsIn(Sel.All, Sel.All)]));
        var rules = Compile(Cluster().Policy(policy), "x/a");

        var allowance = Assert.Single(rules.Ingress.Allowances);
        Assert.Equal(9, allowance.Peers.Length);
        Assert.All(allowance.Peers, p => Assert.Equal(32, p.Cidr.PrefixLength));
    }

    [Fact]
    public void Namespace_and_pod_selector_in_one_peer_are_anded()
    {
        var policy = Ingress("x", "p", Sel.Labels(("pod", "a")), Network,
            Rule([PodsIn(Sel.NotIn("kubernetes.io/metadata.name", "x"), Sel.Labels(("pod", "b")))]));
        var rules = Compile(Cluster().Policy(policy), "x/a");

        Expect.Seq([Host(Ip("y/b")), Host(Ip("z/b"))], Assert.Single(rules.Ingress.Allowances).Peers);
    }

    [Fact]
    public void IpBlock_becomes_a_peer_match_with_its_excepts()
    {
        var policy = Egress("x", "p", Sel.Labels(("pod", "a")), Network, Rule([Block("10.0.0.0/16", "10.0.2.0/24", "10.0.1.0/24")]));
        var rules = Compile(Cluster().Policy(policy), "x/a");

        var peer = Assert.Single(Assert.Single(rules.Egress.Allowances).Peers);
        Assert.Equal(IPNetwork.Parse("10.0.0.0/16"), peer.Cidr);
        Expect.Seq([IPNetwork.Parse("10.0.1.0/24"), IPNetwork.Parse("10.0.2.0/24")], peer.Except);
        Assert.False(rules.Ingress.Isolated);
    }

    [Fact]
    public void Protocol_without_port_means_every_port_of_that_protocol()
    {
        var rules = Compile(Cluster().Policy(Ingress("x", "p", Sel.All, Network, Rule(ports: [AllOf(Protocol.Udp)]))), "x/a");

        Expect.Seq([PortRange.All(Protocol.Udp)], Assert.Single(rules.Ingress.Allowances).Ports);
    }

    [Fact]
    public void Specific_port_does_not_cancel_all_ports_of_the_protocol_in_the_same_rule()
    {
        var rules = Compile(Cluster().Policy(Ingress("x", "p", Sel.All, Network, Rule(ports: [Tcp(80), AllOf(Protocol.Tcp)]))), "x/a");

        Expect.Seq([PortRange.All(Protocol.Tcp)], Assert.Single(rules.Ingress.Allowances).Ports);
    }

    [Fact]
    public void Port_ranges_are_inclusive_and_overlaps_merge()
    {
        var rules = Compile(Cluster().Policy(Ingress("x", "p", Sel.All, Network,
            Rule(ports: [Range(Protocol.Tcp, 8000, 8080), Tcp(8081), Range(Protocol.Tcp, 8050, 8100), Sctp(81)]))), "x/a");

        Expect.Seq([new PortRange(Protocol.Tcp, 8000, 8100), new PortRange(Protocol.Sctp, 81, 81)], Assert.Single(rules.Ingress.Allowances).Ports);
    }

    [Fact]
    public void Union_of_policies_keeps_each_rule_with_its_origin()
    {
        var cluster = Cluster()
            .Policy(Ingress("x", "one", Sel.All, Network, Rule(ports: [Tcp(81)])))
            .Policy(Ingress("x", "two", Sel.Labels(("pod", "a")), Network, Rule([Pods(Sel.All)]), Rule(ports: [Tcp(80)])));
        var rules = Compile(cluster, "x/a");

        Expect.Seq(["x/one", "x/two"], rules.Ingress.SelectingPolicies);
        Expect.Seq(["x/one ingress[0]", "x/two ingress[0]", "x/two ingress[1]"], rules.Ingress.Allowances.Select(a => a.Origin.ToString()));
    }

    [Fact]
    public void Policy_types_decide_which_directions_isolate()
    {
        var policy = Make("x", "both", Sel.Labels(("pod", "a")), Network, true, true, [Rule([Pods(Sel.Labels(("pod", "b")))])], [Rule(ports: [Tcp(80)])]);
        var rules = Compile(Cluster().Policy(policy), "x/a");

        Assert.True(rules.Ingress.Isolated);
        Assert.True(rules.Egress.Isolated);
        Expect.Seq([new PortRange(Protocol.Tcp, 80, 80)], Assert.Single(rules.Egress.Allowances).Ports);
    }

    [Fact]
    public void Unparsable_policy_isolates_every_pod_of_its_namespace_both_ways_allowing_nothing()
    {
        var cluster = Cluster().Policy(Unparsable("x", "broken", Network));
        var all = Policy.Compiler.PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, PolicyOptions.Default);

        foreach (var pod in all.Where(p => p.Pod.Namespace == "x"))
        {
            var rules = Assert.Single(pod.Interfaces);
            Assert.True(rules.Ingress.Isolated && rules.Egress.Isolated);
            Assert.Empty(rules.Ingress.Allowances);
            Assert.Empty(rules.Egress.Allowances);
            Expect.Seq(["x/broken"], rules.Egress.SelectingPolicies);
        }

        Assert.All(all.Where(p => p.Pod.Namespace != "x"), p => Assert.False(p.Interfaces[0].IsGoverned));
    }

    [Fact]
    public void Policy_selects_pods_of_its_own_namespace_only()
    {
        var cluster = Cluster().Policy(Ingress("x", "deny", Sel.All, Network));

        Assert.False(Compile(cluster, "y/a").IsGoverned);
        Assert.True(Compile(cluster, "x/c").IsGoverned);
    }

    [Fact]
    public void Egress_to_an_external_ip_by_ipBlock()
    {
        var policy = Egress("x", "out", Sel.Labels(("pod", "a")), Network, Rule([Block("192.0.2.7/32")], [Udp(53)]));
        var allowance = Assert.Single(Compile(Cluster().Policy(policy), "x/a").Egress.Allowances);

        Expect.Seq([new PeerMatch(IPNetwork.Parse("192.0.2.7/32"), [])], allowance.Peers);
        Expect.Seq([new PortRange(Protocol.Udp, 53, 53)], allowance.Ports);
    }

    [Fact]
    public void Dual_stack_pods_contribute_both_addresses()
    {
        var policy = Ingress("x", "p", Sel.Labels(("pod", "a")), Network, Rule([Pods(Sel.Labels(("pod", "b")))]));
        var rules = Compile(Cluster(dualStack: true).Policy(policy), "x/a");

        Expect.Seq([Host(Ip("x/b")), Host(Ip6("x/b"))], Assert.Single(rules.Ingress.Allowances).Peers);
        Assert.Equal(2, rules.Addresses.Length);
    }
}
