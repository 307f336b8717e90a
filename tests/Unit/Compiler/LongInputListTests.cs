using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;
using Mnp.Tests.Support;
using Mnp.Tests.Unit.Support;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Compiler;

/// <summary>
/// Siblings of the quadratic policy-for: selector values, declared container ports and egress named-port groups
/// are looked up by key once lists are long. These check that the answers are the scan's answers at those sizes.
/// </summary>
public sealed class LongInputListTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(10_000)]
    public void Selector_values_match_exactly_however_many_there_are(int count)
    {
        var values = Enumerable.Range(0, count).Select(i => $"v{i}").ToImmutableArray();
        var isIn = new LabelRequirement("app", SelectorOperator.In, values);
        var notIn = new LabelRequirement("app", SelectorOperator.NotIn, values);
        Dictionary<string, string> Labels(string value) => new() { ["app"] = value };

        Assert.True(isIn.Matches(Labels($"v{count - 1}")));
        Assert.False(isIn.Matches(Labels("v")));
        Assert.False(isIn.Matches(Labels($"V{count - 1}"))); // ordinal, as the scan was
        Assert.False(notIn.Matches(Labels("v0")));
        Assert.True(notIn.Matches(Labels("nope")));
        Assert.True(notIn.Matches(new Dictionary<string, string>()));
    }

    [Fact]
    public void A_named_port_among_thousands_of_declared_ports_resolves_to_exactly_its_numbers()
    {
        var declared = Enumerable.Range(0, 5000).Select(i => new ContainerPort($"p{i}", 10_000 + i, Protocol.Tcp))
            .Append(new ContainerPort("web", 80, Protocol.Tcp))
            .Append(new ContainerPort("web", 8080, Protocol.Udp))
            .Append(new ContainerPort(null, 443, Protocol.Tcp));
        var cluster = new TestCluster().Namespace("x").Network("x", "net1")
            .Pod("x", "a", [], [("net1", "net1", ["10.0.0.1"])], declared)
            .Policy(Ingress("x", "p", Sel.All, Rule(ports: [Named("web"), Named("p4999"), Named("web", Protocol.Sctp)])));

        var pod = PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, PolicyOptions.Default).Single();

        var allowance = Assert.Single(pod.Interfaces.Single().Ingress.Allowances);
        Expect.Seq([new PortRange(Protocol.Tcp, 80, 80), new PortRange(Protocol.Tcp, 14_999, 14_999)], allowance.Ports);
    }

    [Fact]
    public void Egress_named_ports_of_many_destinations_group_by_resolved_ports()
    {
        const int destinations = 600;
        var cluster = new TestCluster().Namespace("x").Network("x", "net1")
            .Pod("x", "src", [("role", "src")], [("net1", "net1", ["10.1.0.1"])]);
        for (var i = 0; i < destinations; i++)
        {
            // Pairs of destinations share a port: 300 groups of two hosts.
            cluster.Pod("x", $"d{i}", [("role", "dst")], [("net1", "net1", [$"10.2.{i / 250}.{(i % 250) + 1}"])], [new ContainerPort("web", 2000 + (i / 2), Protocol.Tcp)]);
        }

        cluster.Policy(Egress("x", "p", Sel.Labels(("role", "src")), Rule([Pods(Sel.Labels(("role", "dst")))], [Named("web")])));

        var pod = PolicyCompiler.Compile(cluster.Build(), TestCluster.Node, PolicyOptions.Default).Single(p => p.Pod.Name == "src");

        var allowances = pod.Interfaces.Single().Egress.Allowances;
        Assert.Equal(destinations / 2, allowances.Length);
        Assert.All(allowances, a => Assert.Equal(2, a.Peers.Length));
        Assert.Equal(Enumerable.Range(2000, destinations / 2), allowances.Select(a => Assert.Single(a.Ports).From).Order());
    }
}
