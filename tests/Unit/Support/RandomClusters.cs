using FsCheck;
using FsCheck.Fluent;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Spec;
using Mnp.Tests.Support;

namespace Mnp.Tests.Unit.Support;

/// <summary>
/// FsCheck generators of small random clusters: 2-3 namespaces, 2-6 pods, 1-2 networks (x/net2 sometimes of an
/// unmanaged type), labels from a small alphabet, 1-4 policies (sometimes unparsable) with random selectors including
/// matchExpressions, ipBlocks with excepts over the pod subnet, numeric / named / range ports over TCP/UDP/SCTP, IPv4
/// and sometimes dual stack; plus random flows between pods sharing a network.
/// </summary>
public static class RandomClusters
{
    private static readonly string[] NamespaceNames = ["x", "y", "z"];
    private static readonly string[] LabelKeys = ["app", "tier", "team"];
    private static readonly string[] LabelValues = ["web", "db", "red"];
    private static readonly int[] FlowPorts = [53, 80, 80, 80, 80, 81, 81, 82, 8080];

    private static readonly ContainerPort[] PortPool =
    [
        new("http", 80, Protocol.Tcp), new("alt", 81, Protocol.Tcp), new("dns", 53, Protocol.Udp), new("assoc", 80, Protocol.Sctp),
    ];

    /// <summary>ipBlock CIDRs over net1's subnet (10.1.0.0/24, fd00:1::/64), each with its candidate excepts.</summary>
    private static readonly (string Cidr, string[] Excepts)[] Blocks =
    [
        ("10.1.0.0/24", ["10.1.0.0/30", "10.1.0.3/32", "10.1.0.4/31"]),
        ("10.1.0.0/29", ["10.1.0.2/32", "10.1.0.4/30"]),
        ("10.1.0.2/32", []),
        ("0.0.0.0/0", ["10.1.0.0/30"]),
        ("10.2.0.0/24", ["10.2.0.1/32"]),
        ("fd00:1::/64", ["fd00:1::2/128"]),
        ("0.0.0.0/31", []),
    ];

    private static readonly PortSpec[] PortPoolSpecs =
    [
        new(Protocol.Tcp, 80, null, null), new(Protocol.Tcp, 80, null, null), new(Protocol.Tcp, null, null, "http"), new(Protocol.Tcp, 81, null, null), new(Protocol.Udp, 53, null, null),
        new(Protocol.Sctp, 80, null, null), new(Protocol.Tcp, 80, 82, null), new(Protocol.Udp, null, null, null),
        new(Protocol.Tcp, null, null, null), new(Protocol.Tcp, null, null, "http"), new(Protocol.Udp, null, null, "dns"),
        new(Protocol.Tcp, null, null, "dns"), new(Protocol.Sctp, null, null, "assoc"),
    ];

    public static Gen<RandomCluster> Cluster { get; } =
        from nsCount in Gen.Choose(2, 3)
        from namespaceLabels in Gen.ListOf(Labels(1), nsCount)
        from unmanagedNet2 in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from dualStack in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
        from podCount in Gen.Choose(2, 6)
        from pods in Gen.ListOf(PodShape(nsCount), podCount)
        from policyCount in Gen.Choose(1, 4)
        from policies in Gen.ListOf(Policy(nsCount), policyCount)
        let snapshot = Build(nsCount, namespaceLabels, unmanagedNet2, dualStack, pods, policies)
        from flows in Flows(snapshot)
        select new RandomCluster(snapshot, flows);

    public static Arbitrary<RandomCluster> Arbitrary() => Arb.From(Cluster);

    private static Gen<ImmutableArray<(string Key, string Value)>> Labels(int max) =>
        from count in Gen.Choose(0, max)
        from keys in Gen.Shuffle(LabelKeys)
        from values in Gen.ListOf(Gen.Elements(LabelValues), count)
        select keys.Take(count).Zip(values).Select(kv => (kv.First, kv.Second)).ToImmutableArray();

    private static Gen<RandomPodTemplate> PodShape(int nsCount) =>
        from ns in Gen.Choose(0, nsCount - 1)
        from labels in Labels(2)
        from running in Gen.Frequency((7, Gen.Constant(true)), (1, Gen.Constant(false)))
        from onNet2 in Gen.Elements(true, false)
        from ports in Gen.SubListOf(PortPool)
        select new RandomPodTemplate(ns, labels, running, onNet2, [.. ports]);

    private static Gen<LabelSelector> Selector() =>
        Gen.Frequency(
            (2, Gen.Constant(LabelSelector.Everything)),
            (3, from key in Gen.Elements(LabelKeys)
                from value in Gen.Elements(LabelValues)
                select new LabelSelector([new LabelRequirement(key, SelectorOperator.In, [value])])),
            (3, from count in Gen.Choose(1, 2)
                from requirements in Gen.ListOf(Requirement(), count)
                select new LabelSelector([.. requirements])));

    private static Gen<LabelRequirement> Requirement() =>
        from key in Gen.Elements(LabelKeys)
        from op in Gen.Elements(SelectorOperator.In, SelectorOperator.NotIn, SelectorOperator.Exists, SelectorOperator.DoesNotExist)
        from values in Gen.NonEmptyListOf(Gen.Elements(LabelValues))
        select new LabelRequirement(key, op, op is SelectorOperator.In or SelectorOperator.NotIn ? [.. values.Distinct()] : []);

    private static Gen<Peer> Peer() =>
        Gen.Frequency(
            (3, from pods in Selector() select (Peer)new PodPeer(null, pods)),
            (2, from ns in Selector() from pods in Selector() select (Peer)new PodPeer(ns, pods)),
            (4, from block in Gen.Elements(Blocks)
                from excepts in Gen.SubListOf(block.Excepts)
                select (Peer)new IpBlockPeer(IPNetwork.Parse(block.Cidr), [.. excepts.Select(IPNetwork.Parse)])));

    private static Gen<PolicyRule> Rule() =>
        from anyPeer in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
        from peerCount in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Constant(1)), (3, Gen.Constant(2)))
        from peers in Gen.ListOf(Peer(), peerCount)
        from anyPort in Gen.Elements(true, false)
        from portCount in Gen.Choose(1, 2)
        from ports in Gen.ListOf(Gen.Elements(PortPoolSpecs), portCount)
        select new PolicyRule(0, anyPeer, anyPeer ? [] : [.. peers], anyPort, anyPort ? [] : [.. ports]);

    private static Gen<ImmutableArray<PolicyRule>> Rules() =>
        from count in Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Constant(1)), (2, Gen.Constant(2)))
        from rules in Gen.ListOf(Rule(), count)
        select rules.Select((r, i) => r with { Index = i }).ToImmutableArray();

    private static Gen<PolicyInfo> Policy(int nsCount) =>
        from ns in Gen.Choose(0, nsCount - 1)
        from policyFor in Gen.Elements<string[]>(["net1"], ["net1"], ["net2"], ["net1", "net2"])
        from unparsable in Gen.Frequency((19, Gen.Constant(false)), (1, Gen.Constant(true)))
        from selector in Selector()
        from types in Gen.Elements((true, false), (false, true), (true, true))
        from ingress in Rules()
        from egress in Rules()
        from name in Gen.Choose(0, 999)
        select new PolicyInfo(
            NamespaceNames[ns],
            $"pol{name}",
            [.. policyFor.Select(n => new NetworkRef("x", n))],
            unparsable ? null : new PolicySpec(selector, types.Item1, types.Item2, ingress, egress));

    private static ClusterSnapshot Build(
        int nsCount,
        IList<ImmutableArray<(string Key, string Value)>> namespaceLabels,
        bool unmanagedNet2,
        bool dualStack,
        IList<RandomPodTemplate> pods,
        IList<PolicyInfo> policies)
    {
        var cluster = new TestCluster().Network("x", "net1").Network("x", "net2", unmanagedNet2 ? "ovn-k8s-cni-overlay" : "macvlan");
        for (var i = 0; i < nsCount; i++)
        {
            cluster.Namespace(NamespaceNames[i], [.. namespaceLabels[i]]);
        }

        for (var i = 0; i < pods.Count; i++)
        {
            var shape = pods[i];
            var interfaces = new List<(string, string, string[])> { ("x/net1", "net1", Addresses(1, i, dualStack)) };
            if (shape.OnNet2)
            {
                interfaces.Add(("x/net2", "net2", Addresses(2, i, dualStack)));
            }

            cluster.Pod(NamespaceNames[shape.Namespace], $"p{i}", shape.Labels, interfaces, shape.Ports, shape.Running ? "Running" : "Pending");
        }

        foreach (var policy in policies)
        {
            cluster.Policy(policy);
        }

        return cluster.Build();
    }

    private static string[] Addresses(int network, int pod, bool dualStack) =>
        dualStack ? [$"10.{network}.0.{pod + 1}", $"fd00:{network}::{pod + 1}"] : [$"10.{network}.0.{pod + 1}"];

    private static Gen<ImmutableArray<RandomFlow>> Flows(ClusterSnapshot snapshot)
    {
        var pairs = (from a in snapshot.Pods
                     from b in snapshot.Pods
                     where a != b
                     from network in a.Interfaces.Select(i => i.Network).Intersect(b.Interfaces.Select(i => i.Network))
                     select (From: a, To: b, Network: network)).ToList();
        if (pairs.Count == 0)
        {
            return Gen.Constant(ImmutableArray<RandomFlow>.Empty);
        }

        var dualStack = snapshot.Pods.All(p => p.Interfaces.All(i => i.Addresses.Length == 2));
        var flow =
            from pair in Gen.Elements(pairs.ToArray())
            from family in dualStack ? Gen.Elements(IpFamily.V4, IpFamily.V6) : Gen.Constant(IpFamily.V4)
            from port in Gen.Elements(FlowPorts)
            from protocol in Gen.Elements(Protocol.Tcp, Protocol.Tcp, Protocol.Tcp, Protocol.Tcp, Protocol.Udp, Protocol.Sctp)
            select new RandomFlow(pair.From.Key, pair.To.Key, pair.Network, family, port, protocol);
        return from count in Gen.Choose(2, 10)
               from flows in Gen.ListOf(flow, count)
               select flows.ToImmutableArray();
    }
}
