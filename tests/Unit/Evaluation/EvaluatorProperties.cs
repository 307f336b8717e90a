using FsCheck.Fluent;
using FsCheck.Xunit;
using Mnp.Policy.Cluster;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;
using Mnp.Tests.Support;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Evaluation;

/// <summary>Invariants of docs/semantics.md that hold for every cluster, checked on random ones.</summary>
public sealed class EvaluatorProperties
{
    private static TraceResult Decide(ClusterSnapshot snapshot, RandomFlow flow)
    {
        var from = snapshot.Pods.First(p => p.Key == flow.From);
        var to = snapshot.Pods.First(p => p.Key == flow.To);
        return new PolicyEvaluator(snapshot, PolicyOptions.Default).Decide(
            from,
            RandomCluster.AddressOf(from, flow.Network, flow.Family),
            to,
            RandomCluster.AddressOf(to, flow.Network, flow.Family),
            flow.Network,
            flow.Port,
            flow.Protocol);
    }

    private static PolicyInfo AllowAll(string ns, string name) => new(
        ns,
        name,
        [new NetworkRef("x", "net1"), new NetworkRef("x", "net2")],
        new PolicySpec(LabelSelector.Everything, true, true, [Pol.AllowAll], [Pol.AllowAll]));

    [Property(Arbitrary = [typeof(RandomClusterArbitrary)], MaxTest = 300)]
    public void A_pod_no_policy_of_its_namespace_governs_on_the_network_is_never_isolated(RandomCluster cluster)
    {
        foreach (var flow in cluster.Flows)
        {
            var result = Decide(cluster.Snapshot, flow);
            if (!cluster.Snapshot.Policies.Any(p => p.Namespace == cluster.Pod(flow.From).Namespace && p.PolicyFor.Contains(flow.Network)))
            {
                Assert.False(result.Egress.Isolated, flow.ToString());
            }

            if (!cluster.Snapshot.Policies.Any(p => p.Namespace == cluster.Pod(flow.To).Namespace && p.PolicyFor.Contains(flow.Network)))
            {
                Assert.False(result.Ingress.Isolated, flow.ToString());
            }
        }
    }

    [Property(Arbitrary = [typeof(RandomClusterArbitrary)], MaxTest = 300)]
    public void The_verdict_is_egress_and_ingress_and_only_isolated_allowed_directions_name_rules(RandomCluster cluster)
    {
        foreach (var flow in cluster.Flows)
        {
            var result = Decide(cluster.Snapshot, flow);

            Assert.Equal(result.Egress.Allowed && result.Ingress.Allowed, result.Allowed);
            foreach (var direction in new[] { result.Egress, result.Ingress })
            {
                Assert.Equal(direction.Isolated, !direction.SelectingPolicies.IsEmpty);
                Assert.Equal(direction.Isolated && direction.Allowed, !direction.AllowedBy.IsEmpty);
                Assert.True(direction.Allowed || direction.Isolated);
                Assert.All(direction.AllowedBy, m => Assert.Contains(m.Policy, direction.SelectingPolicies));
            }
        }
    }

    [Property(Arbitrary = [typeof(RandomClusterArbitrary)], MaxTest = 300)]
    public void Adding_an_allow_all_policy_never_turns_allowed_into_denied(RandomCluster cluster)
    {
        var ns = cluster.Snapshot.Namespaces[0].Name;
        var widened = cluster.Snapshot with { Policies = cluster.Snapshot.Policies.Add(AllowAll(ns, "zz-allow-all")) };

        foreach (var flow in cluster.Flows)
        {
            if (Decide(cluster.Snapshot, flow).Allowed)
            {
                Assert.True(Decide(widened, flow).Allowed, flow.ToString());
            }
        }
    }

    [Property(Arbitrary = [typeof(RandomClusterArbitrary)], MaxTest = 300)]
    public void Allow_all_in_every_namespace_allows_every_flow_even_next_to_unparsable_policies(RandomCluster cluster)
    {
        var everywhere = cluster.Snapshot with
        {
            Policies = cluster.Snapshot.Policies.AddRange(cluster.Snapshot.Namespaces.Select(n => AllowAll(n.Name, "zz-allow-all"))),
        };

        Assert.All(cluster.Flows, flow => Assert.True(Decide(everywhere, flow).Allowed, flow.ToString()));
    }

    [Property(Arbitrary = [typeof(RandomClusterArbitrary)], MaxTest = 300)]
    public void Adding_a_policy_without_rules_never_turns_denied_into_allowed(RandomCluster cluster)
    {
        var ns = cluster.Snapshot.Namespaces[^1].Name;
        var deny = new PolicyInfo(ns, "zz-deny", [new NetworkRef("x", "net1")], new PolicySpec(LabelSelector.Everything, true, true, [], []));
        var narrowed = cluster.Snapshot with { Policies = cluster.Snapshot.Policies.Add(deny) };

        foreach (var flow in cluster.Flows)
        {
            if (!Decide(cluster.Snapshot, flow).Allowed)
            {
                Assert.False(Decide(narrowed, flow).Allowed, flow.ToString());
            }
        }
    }

    [Property(Arbitrary = [typeof(RandomClusterArbitrary)], MaxTest = 200)]
    public void Removing_all_policies_allows_everything(RandomCluster cluster)
    {
        var open = cluster.Snapshot with { Policies = [] };

        Assert.All(cluster.Flows, flow =>
        {
            var result = Decide(open, flow);
            Assert.True(result.Allowed && !result.Egress.Isolated && !result.Ingress.Isolated, flow.ToString());
        });
    }

    [Property(Arbitrary = [typeof(RandomClusterArbitrary)], MaxTest = 200)]
    public void Policy_order_never_matters(RandomCluster cluster)
    {
        var reversed = cluster.Snapshot with { Policies = [.. cluster.Snapshot.Policies.Reverse()] };

        Assert.All(cluster.Flows, flow => Assert.Equal(Decide(cluster.Snapshot, flow).Allowed, Decide(reversed, flow).Allowed));
    }

    [Property(Arbitrary = [typeof(RandomClusterArbitrary)], MaxTest = 100)]
    public void Reachability_cells_agree_with_trace_by_pod_names(RandomCluster cluster)
    {
        var evaluator = new PolicyEvaluator(cluster.Snapshot, PolicyOptions.Default);

        foreach (var cell in evaluator.Reachability(ReachabilityRequest.Default))
        {
            var query = new ConnectionQuery(EndpointRef.Parse(cell.From), EndpointRef.Parse(cell.To), $"{cell.Port}", cell.Protocol, cell.Network);
            var traced = evaluator.Trace(query);
            Assert.Equal(traced.Allowed, cell.Allowed);
            Assert.Equal(traced.To.Address, cell.Address);
        }
    }

    [Fact]
    public void The_generator_produces_a_useful_mix_of_verdicts()
    {
        // 400 clusters of size 50 from a fixed seed keep this coverage check deterministic; the properties use fresh seeds.
        var results = RandomClusters.Cluster.Sample(400, new FsCheck.Rnd(20261127UL), 50)
            .SelectMany(c => c.Flows.Select(f => Decide(c.Snapshot, f)))
            .ToList();

        Assert.Contains(results, r => r.Allowed && (r.Egress.Isolated || r.Ingress.Isolated));
        Assert.Contains(results, r => !r.Allowed);
        Assert.Contains(results, r => r.Allowed && !r.Egress.Isolated && !r.Ingress.Isolated);
        Assert.Contains(results, r => r.Family == Policy.Netfilter.IpFamily.V6);
        Assert.Contains(results, r => r.Ingress.AllowedBy.Concat(r.Egress.AllowedBy).Any(m => m.PeerKind == PeerKind.IpBlock));
        Assert.Contains(results, r => r.Ingress.AllowedBy.Concat(r.Egress.AllowedBy).Any(m => m.Port.Contains(" (", StringComparison.Ordinal)));
        Assert.Contains(results, r => !r.NetworkManaged);
    }
}
