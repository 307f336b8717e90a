using Mnp.Policy.Compiler;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;
using Mnp.Tests.Support;
using static Mnp.Tests.Support.CompilerModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Compiler;

/// <summary>
/// One rule crossing thousands of peers with thousands of ports must not render millions of kernel rules: past the
/// per-direction limit the rule is refused (it allows nothing, the direction stays isolated) and named once.
/// </summary>
public sealed class ExpansionLimitTests
{
    private static PolicyRule Crossed(int blocks, int ports) => Rule(
        Enumerable.Range(0, blocks).Select(i => (Peer)Block($"10.{100 + (i / 250)}.{i % 250}.0/24")),
        Enumerable.Range(0, ports).Select(i => Tcp(1000 + (2 * i))));

    [Fact]
    public void The_issue_case_of_4000_ipBlocks_by_4000_ports_is_refused_with_one_problem_and_renders_only_the_drop()
    {
        var cluster = Cluster().Policy(Ingress("x", "big", Sel.All, Network, Crossed(4000, 4000)));

        var pod = PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, PolicyOptions.Default).Single(p => p.Pod.Key == "x/a");

        var ingress = Assert.Single(pod.Interfaces).Ingress;
        Assert.True(ingress.Isolated);
        Assert.Empty(ingress.Allowances);
        var problem = Assert.Single(pod.Problems);
        Assert.Equal(
            "MultiNetworkPolicy x/big: spec.ingress[0]: on pod x/a interface net1: 16000000 match entries (peers x ports) pass the limit " +
            "of 100000 per interface and direction: the rule allows nothing there",
            problem.ToString());
        var chains = TableRenderer.Render(pod, IpFamily.V4, PolicyOptions.Default).Chains;
        Assert.Equal(["INPUT", "MNP-IN-net1"], chains.Select(c => c.Name));
        Assert.Equal(RuleTarget.Drop, chains[1].Rules[^1].Target);
        Assert.Equal(2, chains[1].Rules.Length); // established/related, then drop
    }

    [Fact]
    public void Rules_are_admitted_in_order_until_the_limit_and_a_later_small_rule_still_fits()
    {
        var options = PolicyOptions.Default with { MaxEntriesPerDirection = 100 };
        var cluster = Cluster().Policy(Ingress("x", "p", Sel.All, Network, Crossed(5, 10), Crossed(8, 8), Rule([Pods(Sel.All)], [Tcp(80)])));

        var pod = PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, options).Single(p => p.Pod.Key == "x/a");

        var ingress = Assert.Single(pod.Interfaces).Ingress;
        Assert.Equal([0, 2], ingress.Allowances.Select(a => a.Origin.Rule));
        var problem = Assert.Single(pod.Problems);
        Assert.Equal("spec.ingress[1]", problem.Field);
        Assert.Contains("64 match entries (peers x ports) after 50 from earlier rules pass the limit of 100", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_rule_never_opens_the_direction_and_the_limit_is_per_direction()
    {
        var options = PolicyOptions.Default with { MaxEntriesPerDirection = 10 };
        var cluster = Cluster().Policy(Make("x", "p", Sel.All, Network, true, true, [Crossed(4, 4)], [Crossed(2, 5)]));

        var pod = PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, options).Single(p => p.Pod.Key == "x/a");

        var iface = Assert.Single(pod.Interfaces);
        Assert.True(iface.Ingress.Isolated);
        Assert.Empty(iface.Ingress.Allowances);
        Assert.Single(iface.Egress.Allowances);
        Assert.Equal("spec.ingress[0]", Assert.Single(pod.Problems).Field);
    }

    [Fact]
    public void Excepts_count_as_entries_because_each_one_is_a_rendered_return()
    {
        var options = PolicyOptions.Default with { MaxEntriesPerDirection = 20 };
        var excepts = Enumerable.Range(0, 20).Select(i => $"10.9.{i}.0/24").ToArray();
        var cluster = Cluster().Policy(Ingress("x", "p", Sel.All, Network, Rule([Block("10.9.0.0/16", excepts)], [Tcp(80)])));

        var pod = PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, options).Single(p => p.Pod.Key == "x/a");

        Assert.Empty(Assert.Single(pod.Interfaces).Ingress.Allowances);
        Assert.Contains("21 match entries", Assert.Single(pod.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Within_the_limit_nothing_is_refused()
    {
        var cluster = Cluster().Policy(Ingress("x", "p", Sel.All, Network, Crossed(300, 300)));

        var pod = PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, PolicyOptions.Default).Single(p => p.Pod.Key == "x/a");

        Assert.Empty(pod.Problems);
        Assert.Single(Assert.Single(pod.Interfaces).Ingress.Allowances);
    }
}
