using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;
using Mnp.Tests.Unit.Support;
using static Mnp.Tests.Support.CompilerModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Compiler;

/// <summary>docs/testing.md §5: cases some implementation got wrong once, plus named-port resolution.</summary>
public sealed class PolicyCompilerRegressionTests
{
    [Fact]
    public void Empty_port_entry_is_every_tcp_port_not_every_protocol()
    {
        var rules = Compile(Cluster().Policy(Ingress("x", "p", Sel.All, Network, Rule(ports: [AllOf(Protocol.Tcp)]))), "x/a");

        var allowance = Assert.Single(rules.Ingress.Allowances);
        Assert.False(allowance.AnyPort);
        Expect.Seq([PortRange.All(Protocol.Tcp)], allowance.Ports);
    }

    [Fact]
    public void Named_port_opens_only_that_port_of_the_target_pod()
    {
        var rules = Compile(Cluster().Policy(Ingress("x", "p", Sel.All, Network, Rule(ports: [Named("serve-81-tcp")]))), "x/b");

        Expect.Seq([new PortRange(Protocol.Tcp, 81, 81)], Assert.Single(rules.Ingress.Allowances).Ports);
    }

    [Fact]
    public void Named_port_with_the_wrong_protocol_or_unknown_name_allows_nothing_but_isolates()
    {
        var rules = Compile(Cluster().Policy(Ingress("x", "p", Sel.All, Network,
            Rule(ports: [Named("serve-81-udp", Protocol.Tcp), Named("serve-7981-udp", Protocol.Udp)]))), "x/b");

        Assert.True(rules.Ingress.Isolated);
        Assert.Empty(rules.Ingress.Allowances);
    }

    /// <summary>Destinations whose name resolves to the same port share one allowance.</summary>
    [Fact]
    public void Egress_named_port_resolves_per_destination_pod()
    {
        var cluster = Cluster()
            .Pod("y", "odd", [("pod", "odd")], [(Network, "net1", ["10.0.2.9"])], [new ContainerPort("serve-80-tcp", 8080, Protocol.Tcp)])
            .Policy(Egress("x", "p", Sel.Labels(("pod", "a")), Network, Rule([PodsIn(Sel.Ns("y"), Sel.All)], [Named("serve-80-tcp")])));
        var allowances = Compile(cluster, "x/a").Egress.Allowances;

        Assert.Equal(2, allowances.Length);
        Expect.Seq([Host(Ip("y/a")), Host(Ip("y/b")), Host(Ip("y/c"))], allowances[0].Peers);
        Expect.Seq([new PortRange(Protocol.Tcp, 80, 80)], allowances[0].Ports);
        Expect.Seq([Host("10.0.2.9")], allowances[1].Peers);
        Expect.Seq([new PortRange(Protocol.Tcp, 8080, 8080)], allowances[1].Ports);
    }

    [Fact]
    public void Egress_named_port_counts_pods_inside_an_ipBlock_but_never_external_addresses()
    {
        var cluster = Cluster().Policy(Egress("x", "p", Sel.Labels(("pod", "a")), Network,
            Rule([Block("10.0.3.0/24", "10.0.3.3/32"), Block("192.0.2.0/24")], [Named("serve-81-udp", Protocol.Udp)])));
        var allowances = Compile(cluster, "x/a").Egress.Allowances;

        Assert.Equal([Ip("z/a"), Ip("z/b")], allowances.SelectMany(a => a.Peers).Select(p => p.Cidr.BaseAddress.ToString()));
        Assert.All(allowances, a => Expect.Seq([new PortRange(Protocol.Udp, 81, 81)], a.Ports));
    }

    [Fact]
    public void Egress_named_port_without_peers_means_every_pod_on_the_network_and_numeric_ports_stay_for_any_peer()
    {
        var cluster = Cluster().Policy(Egress("x", "p", Sel.Labels(("pod", "a")), Network, Rule(ports: [Tcp(443), Named("serve-80-tcp")])));
        var allowances = Compile(cluster, "x/a").Egress.Allowances;

        var any = Assert.Single(allowances, a => a.AnyPeer);
        Expect.Seq([new PortRange(Protocol.Tcp, 443, 443)], any.Ports);
        var named = Assert.Single(allowances, a => !a.AnyPeer);
        Assert.Equal(9, named.Peers.Length);
        Expect.Seq([new PortRange(Protocol.Tcp, 80, 80)], named.Ports);
    }

    [Fact]
    public void Peer_list_matching_nothing_still_isolates()
    {
        var cluster = Cluster().Policy(Ingress("x", "p", Sel.Labels(("pod", "a")), Network,
            Rule([PodsIn(Sel.Labels(("no", "such")), Sel.All), Pods(Sel.Labels(("pod", "nobody")))])));
        var rules = Compile(cluster, "x/a");

        Assert.True(rules.Ingress.Isolated);
        Assert.Empty(rules.Ingress.Allowances);
    }

    [Fact]
    public void Sctp_port_never_becomes_tcp()
    {
        var rules = Compile(Cluster().Policy(Ingress("x", "p", Sel.Labels(("pod", "a")), Network, Rule(ports: [Sctp(81)]))), "x/a");

        Expect.Seq([new PortRange(Protocol.Sctp, 81, 81)], Assert.Single(rules.Ingress.Allowances).Ports);
    }

    [Fact]
    public void Except_narrows_only_its_own_block_when_another_policy_allows_the_address()
    {
        var cluster = Cluster()
            .Policy(Egress("x", "wide", Sel.Labels(("pod", "a")), Network, Rule([Block("0.0.0.0/4", Ip("x/b") + "/32")])))
            .Policy(Egress("x", "narrow", Sel.Labels(("pod", "a")), Network, Rule([Block(Ip("x/b") + "/32")])));
        var egress = Compile(cluster, "x/a").Egress;

        Assert.Contains(egress.Allowances, a => a.Peers.Any(p => p.Contains(IPAddress.Parse(Ip("x/b")))));
        Assert.Contains(egress.Allowances, a => a.Peers.Any(p => p.Except.Length == 1));
    }
}
