using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;
using static Mnp.Tests.Support.CompilerModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Rendering;

/// <summary>Whole iptables-save text for small pods (the format verified against iptables-legacy-save 1.8.9).</summary>
public sealed class RenderedTextTests
{
    private static string Text(TestCluster cluster, string pod, IpFamily family, PolicyOptions? options = null)
    {
        var all = Policy.Compiler.PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, options ?? PolicyOptions.Default);
        return IptablesSaveWriter.Write(TableRenderer.Render(all.Single(p => p.Pod.Key == pod), family, options ?? PolicyOptions.Default));
    }

    [Fact]
    public void Ingress_from_one_pod_on_one_port()
    {
        var cluster = Cluster().Policy(Ingress("x", "allow-b", Sel.Labels(("pod", "a")), Network, Rule([Pods(Sel.Labels(("pod", "b")))], [Tcp(80)])));

        Assert.Equal(
            """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :MNP-IN-net1 - [0:0]
            -A INPUT -i net1 -j MNP-IN-net1
            -A MNP-IN-net1 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A MNP-IN-net1 -s 10.0.1.2/32 -p tcp -m tcp --dport 80 -m comment --comment "x/allow-b ingress[0]" -j ACCEPT
            -A MNP-IN-net1 -j DROP
            COMMIT

            """.ReplaceLineEndings("\n"),
            Text(cluster, "x/a", IpFamily.V4));
    }

    [Fact]
    public void Ipv6_accepts_neighbour_discovery_and_uses_only_v6_peers()
    {
        var cluster = Cluster(dualStack: true).Policy(Ingress("x", "allow-b", Sel.Labels(("pod", "a")), Network, Rule([Pods(Sel.Labels(("pod", "b")))], [Udp(81)])));

        Assert.Equal(
            """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :MNP-IN-net1 - [0:0]
            -A INPUT -i net1 -j MNP-IN-net1
            -A MNP-IN-net1 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A MNP-IN-net1 -p ipv6-icmp -m icmp6 --icmpv6-type 133 -j ACCEPT
            -A MNP-IN-net1 -p ipv6-icmp -m icmp6 --icmpv6-type 134 -j ACCEPT
            -A MNP-IN-net1 -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT
            -A MNP-IN-net1 -p ipv6-icmp -m icmp6 --icmpv6-type 136 -j ACCEPT
            -A MNP-IN-net1 -p ipv6-icmp -m icmp6 --icmpv6-type 137 -j ACCEPT
            -A MNP-IN-net1 -s fd00::1:2/128 -p udp -m udp --dport 81 -m comment --comment "x/allow-b ingress[0]" -j ACCEPT
            -A MNP-IN-net1 -j DROP
            COMMIT

            """.ReplaceLineEndings("\n"),
            Text(cluster, "x/a", IpFamily.V6));
    }

    [Fact]
    public void Except_gets_its_own_chain_and_narrows_only_its_block()
    {
        var cluster = Cluster().Policy(Egress("x", "out", Sel.Labels(("pod", "a")), Network,
            Rule([Block("10.0.0.0/16", "10.0.2.0/24"), PodsIn(Sel.Ns("y"), Sel.Labels(("pod", "b")))], [Tcp(80), Udp(53)])));

        Assert.Equal(
            """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :MNP-EG-net1 - [0:0]
            :MNP-EG-net1/1 - [0:0]
            :MNP-EG-net1/1.1 - [0:0]
            -A OUTPUT -o net1 -j MNP-EG-net1
            -A MNP-EG-net1 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A MNP-EG-net1 -m comment --comment "x/out egress[0]" -j MNP-EG-net1/1
            -A MNP-EG-net1 -j DROP
            -A MNP-EG-net1/1 -d 10.0.2.2/32 -p tcp -m tcp --dport 80 -j ACCEPT
            -A MNP-EG-net1/1 -d 10.0.2.2/32 -p udp -m udp --dport 53 -j ACCEPT
            -A MNP-EG-net1/1 -d 10.0.0.0/16 -j MNP-EG-net1/1.1
            -A MNP-EG-net1/1.1 -d 10.0.2.0/24 -j RETURN
            -A MNP-EG-net1/1.1 -p tcp -m tcp --dport 80 -j ACCEPT
            -A MNP-EG-net1/1.1 -p udp -m udp --dport 53 -j ACCEPT
            COMMIT

            """.ReplaceLineEndings("\n"),
            Text(cluster, "x/a", IpFamily.V4));
    }

    [Fact]
    public void Single_excepted_block_jumps_straight_to_its_chain_and_any_port_any_peer_is_a_bare_accept()
    {
        var cluster = Cluster()
            .Policy(Ingress("x", "blk", Sel.Labels(("pod", "a")), Network, Rule([Block("10.0.0.0/8", "10.0.3.0/24")], [Sctp(81)])))
            .Policy(Ingress("x", "open", Sel.Labels(("pod", "a")), Network, Rule()));

        Assert.Equal(
            """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :MNP-IN-net1 - [0:0]
            :MNP-IN-net1/1 - [0:0]
            -A INPUT -i net1 -j MNP-IN-net1
            -A MNP-IN-net1 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A MNP-IN-net1 -p icmp -j ACCEPT
            -A MNP-IN-net1 -s 10.0.0.0/8 -m comment --comment "x/blk ingress[0]" -j MNP-IN-net1/1
            -A MNP-IN-net1 -m comment --comment "x/open ingress[0]" -j ACCEPT
            -A MNP-IN-net1 -j DROP
            -A MNP-IN-net1/1 -s 10.0.3.0/24 -j RETURN
            -A MNP-IN-net1/1 -p sctp -m multiport --dports 81 -j ACCEPT
            COMMIT

            """.ReplaceLineEndings("\n"),
            Text(cluster, "x/a", IpFamily.V4, PolicyOptions.Default with { AcceptIcmp = true }));
    }

    [Fact]
    public void Nothing_governed_renders_an_empty_table()
    {
        var table = TableRenderer.Render(Policy.Compiler.PolicyCompiler.Compile(Cluster().Build(), TestCluster.Node, PolicyOptions.Default)[0], IpFamily.V6, PolicyOptions.Default);

        Assert.Empty(table.Chains);
        Assert.Equal("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n", IptablesSaveWriter.Write(table));
    }

    [Fact]
    public void Writer_quotes_comments_like_xtables_save_string()
    {
        var rule = new NetfilterRule(RuleTarget.Return) { Comment = "a\"b'c\\d" };

        Assert.Equal("-m comment --comment \"a\\\"b\\'c\\\\d\" -j RETURN", IptablesSaveWriter.FormatRule(rule, IpFamily.V4));
        Assert.Equal("-m comment --comment plain_word-1 -j RETURN", IptablesSaveWriter.FormatRule(rule with { Comment = "plain_word-1" }, IpFamily.V4));
    }

    [Fact]
    public void Other_family_peers_are_skipped_so_a_v4_only_allowance_allows_nothing_in_v6()
    {
        var cluster = Cluster(dualStack: true).Policy(Ingress("x", "v4", Sel.Labels(("pod", "a")), Network, Rule([Block("10.0.0.0/8")])));

        var v6 = Text(cluster, "x/a", IpFamily.V6, PolicyOptions.Default with { AcceptNeighborDiscovery = false });

        Assert.Equal(
            "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:MNP-IN-net1 - [0:0]\n-A INPUT -i net1 -j MNP-IN-net1\n"
            + "-A MNP-IN-net1 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A MNP-IN-net1 -j DROP\nCOMMIT\n",
            v6);
    }
}
