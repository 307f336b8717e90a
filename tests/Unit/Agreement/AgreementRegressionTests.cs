using Mnp.Policy.Cluster;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Rules;
using Mnp.Tests.Unit.E2e;
using Mnp.Tests.Support;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Agreement;

/// <summary>
/// Disagreements the agreement property found between the evaluator and the compiled tables, each reduced to a
/// small cluster and decided from docs/semantics.md; both sides must now give the expected verdict.
/// </summary>
public sealed class AgreementRegressionTests
{
    private static readonly NetworkRef Net1 = new("x", "net1");

    /// <summary>Asserts the evaluator and the compiled tables both give <paramref name="expected"/> for from -> to (pods or addresses).</summary>
    private static void AssertBoth(bool expected, ClusterSnapshot snapshot, string from, string to, int port, Protocol protocol = Protocol.Tcp)
    {
        var (fromPod, source) = End(snapshot, from);
        var (toPod, destination) = End(snapshot, to);
        var evaluated = new PolicyEvaluator(snapshot, PolicyOptions.Default).Decide(fromPod, source, toPod, destination, Net1, port, protocol);
        var compiled = new CompiledRulesChecker(PolicyOptions.Default).Allowed(snapshot, fromPod, source, toPod, destination, Net1, port, protocol);

        Assert.Equal((expected, expected), (evaluated.Allowed, compiled));
    }

    private static (PodInfo? Pod, IPAddress Address) End(ClusterSnapshot snapshot, string end) =>
        IPAddress.TryParse(end, out var address)
            ? (null, address)
            : snapshot.Pods.Single(p => p.Key == end) is var pod ? (pod, pod.Interfaces.First(i => i.Network == Net1).Addresses[0]) : default;

    [Fact]
    public void An_egress_named_port_never_resolves_on_a_pod_that_is_not_running()
    {
        // docs/semantics.md §2: a non-Running pod is no selector peer, its address is a plain address, and a named port
        // never matches a destination that is not a pod. The evaluator used to resolve the Pending pod's port.
        var snapshot = new TestCluster().Namespace("x").Network("x", "net1")
            .Pod("x", "client", [("app", "c")], [("x/net1", "net1", ["10.1.0.1"])])
            .Pod("x", "pending", [("app", "s")], [("x/net1", "net1", ["10.1.0.3"])], [new ContainerPort("http", 80, Protocol.Tcp)], "Pending")
            .Policy(Egress("x", "named", Sel.Labels(("app", "c")), Rule(ports: [Named("http")])))
            .Build();

        AssertBoth(false, snapshot, "x/client", "x/pending", 80);
    }

    [Theory]
    [InlineData("x/a", false)] // x is missing from the snapshot: its labels are unknown, no namespaceSelector matches
    [InlineData("y/b", true)]
    public void A_namespace_selector_never_matches_a_namespace_missing_from_the_snapshot(string from, bool allowed)
    {
        // The evaluator used to give a missing namespace just its kubernetes.io/metadata.name label, so a NotIn
        // selector matched it; the compiler matches only namespaces present. Unknown labels must not widen access.
        var snapshot = new TestCluster().Namespace("y").Namespace("z", ("tier", "web")).Network("x", "net1")
            .Pod("x", "a", [("app", "c")], [("x/net1", "net1", ["10.1.0.1"])])
            .Pod("y", "b", [("app", "c")], [("x/net1", "net1", ["10.1.0.2"])])
            .Pod("z", "server", [("app", "s")], [("x/net1", "net1", ["10.1.0.3"])])
            .Policy(Ingress("z", "from-untiered", Sel.All, Rule([PodsIn(Sel.NotIn("tier", "web"), Sel.All)])))
            .Build();

        AssertBoth(allowed, snapshot, from, "z/server", 80);
    }
}
