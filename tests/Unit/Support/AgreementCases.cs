using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using Mnp.Policy.Cluster;
using Mnp.Policy.Spec;

namespace Mnp.Tests.Unit.Support;

/// <summary>
/// <see cref="RandomClusters"/> plus flows to and from addresses outside the pods: inside the pod subnets but
/// unused, inside the generator's other ipBlocks (some excepted), and far away, in both families. Each cluster may
/// also be varied where the plain generator never goes: a namespace missing from the snapshot (its pods remain), a
/// pod with a second interface on net1 (listed first or second, so flows use either address), a hostNetwork pod,
/// a pod without its IPv6 addresses in a dual-stack cluster, and a rule with more ports than one multiport match holds.
/// </summary>
public static class AgreementCases
{
    private static readonly string[] ExternalAddresses =
    [
        "10.1.0.200", "10.1.0.3", "10.1.0.2", "10.2.0.1", "10.2.0.9", "192.168.7.7", "0.0.0.1", "fd00:1::c8", "fd00:1::2", "2001:db8::1",
    ];

    private static readonly int[] Ports = [53, 80, 81, 82, 8080];

    public static Gen<AgreementCase> Case { get; } =
        from plain in RandomClusters.Cluster
        from variation in Variation(plain.Snapshot)
        let cluster = new RandomCluster(variation, plain.Flows)
        from external in ExternalFlows(cluster)
        select new AgreementCase(cluster, external);

    public static Arbitrary<AgreementCase> Arbitrary() => Arb.From(Case);

    private static Gen<ClusterSnapshot> Variation(ClusterSnapshot snapshot) =>
        from missing in Gen.Frequency((4, Gen.Constant(-1)), (1, Gen.Choose(0, snapshot.Namespaces.Length - 1)))
        from twoInterfaces in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, snapshot.Pods.Length - 1)))
        from secondFirst in Gen.Elements(true, false)
        from hostNetwork in Gen.Frequency((6, Gen.Constant(-1)), (1, Gen.Choose(0, snapshot.Pods.Length - 1)))
        from v4Only in Gen.Frequency((4, Gen.Constant(-1)), (1, Gen.Choose(0, snapshot.Pods.Length - 1)))
        from manyPorts in Gen.Frequency((2, Gen.Constant(-1)), (1, Gen.Choose(0, snapshot.Policies.Length - 1)))
        select snapshot with
        {
            Namespaces = [.. snapshot.Namespaces.Where((_, i) => i != missing)],
            Pods = [.. snapshot.Pods.Select((pod, i) => Vary(pod, i, i == twoInterfaces, secondFirst, i == hostNetwork, i == v4Only))],
            Policies = [.. snapshot.Policies.Select((policy, i) => i == manyPorts ? WithManyPorts(policy) : policy)],
        };

    /// <summary>
    /// Seventeen scattered low TCP ports (2, 4 .. 34: no two adjacent, so none merge) then TCP/80, 81, 8080 and
    /// UDP/53: more than the 15 slots of one multiport match, so the renderer must split them, and the probed ports
    /// sort into the last chunk.
    /// </summary>
    private static readonly ImmutableArray<PortSpec> ManyPorts =
    [
        .. Enumerable.Range(1, 17).Select(i => new PortSpec(Protocol.Tcp, 2 * i, null, null)),
        new PortSpec(Protocol.Tcp, 80, null, null),
        new PortSpec(Protocol.Tcp, 81, null, null),
        new PortSpec(Protocol.Tcp, 8080, null, null),
        new PortSpec(Protocol.Udp, 53, null, null),
    ];

    private static PolicyInfo WithManyPorts(PolicyInfo policy)
    {
        if (policy.Spec is not { } spec)
        {
            return policy;
        }

        var ingress = spec.Ingress.Add(new PolicyRule(spec.Ingress.Length, true, [], false, ManyPorts));
        var egress = spec.Egress.Add(new PolicyRule(spec.Egress.Length, true, [], false, ManyPorts));
        return policy with { Spec = spec with { Ingress = ingress, Egress = egress } };
    }

    private static PodInfo Vary(PodInfo pod, int index, bool twoInterfaces, bool secondFirst, bool hostNetwork, bool v4Only)
    {
        var interfaces = v4Only
            ? [.. pod.Interfaces.Select(i => i with { Addresses = [.. i.Addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork)] })]
            : pod.Interfaces;
        if (twoInterfaces)
        {
            var dualStack = interfaces[0].Addresses.Length == 2;
            var addresses = dualStack ? new[] { $"10.1.0.{100 + index}", $"fd00:1::{100 + index}" } : [$"10.1.0.{100 + index}"];
            var second = new PodInterface(interfaces[0].Network, "net1b", [.. addresses.Select(IPAddress.Parse)], null);
            interfaces = secondFirst ? interfaces.Insert(0, second) : interfaces.Add(second);
        }

        return pod with { Interfaces = interfaces, HostNetwork = hostNetwork };
    }

    private static Gen<ImmutableArray<ExternalFlow>> ExternalFlows(RandomCluster cluster)
    {
        var ends = cluster.Snapshot.Pods.SelectMany(p => p.Interfaces.Select(i => (Pod: p, i.Network))).ToArray();
        var flow =
            from end in Gen.Elements(ends)
            from text in Gen.Elements(ExternalAddresses)
            let address = IPAddress.Parse(text)
            where !Held(cluster, end.Network, address)
            from outbound in Gen.Elements(true, false)
            from port in Gen.Elements(Ports)
            from protocol in Gen.Elements(Protocol.Tcp, Protocol.Tcp, Protocol.Udp, Protocol.Sctp)
            select new ExternalFlow(end.Pod.Key, address, outbound, end.Network, port, protocol);
        return from count in Gen.Choose(1, 6)
               from flows in Gen.ListOf(flow, count)
               select flows.Where(f => HasFamily(cluster.Pod(f.Pod), f.Network, f.Address.AddressFamily)).ToImmutableArray();
    }

    /// <summary>An address some pod holds on the network is that pod, not an external end (pod flows cover it).</summary>
    private static bool Held(RandomCluster cluster, NetworkRef network, IPAddress address) =>
        cluster.Snapshot.Pods.Any(p => p.Interfaces.Any(i => i.Network == network && i.Addresses.Contains(address)));

    private static bool HasFamily(PodInfo pod, NetworkRef network, AddressFamily family) =>
        pod.Interfaces.Any(i => i.Network == network && i.Addresses.Any(a => a.AddressFamily == family));
}
