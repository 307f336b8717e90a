using System.Collections.Immutable;
using System.Net;
using Mnp.Policy.Cluster;
using Mnp.Policy.Spec;

namespace Mnp.Bench;

/// <summary>
/// A deterministic, realistic-looking cluster: 50 namespaces of 100 pods (5,000), 4 macvlan networks, every pod on
/// one or two of them (a quarter dual stack), 200 pods on the measured node, and 10 policies per namespace (500)
/// mixing pod, namespace+pod and ipBlock peers with numeric, range and named ports in both directions.
/// </summary>
internal static class SyntheticCluster
{
    public const string Node = "node-0";
    private const int NamespaceCount = 50;
    private const int PodsPerNamespace = 100;
    private const int PoliciesPerNamespace = 10;
    private static readonly string[] NetworkNames = ["net-a", "net-b", "net-c", "net-d"];

    public static ClusterSnapshot Build() => Build(NamespaceCount);

    /// <summary>The same shape with <paramref name="namespaceCount"/> namespaces of 100 pods (200 → 20,000 pods, 800 on the node).</summary>
    public static ClusterSnapshot Build(int namespaceCount)
    {
        var random = new Random(20261127);
        var namespaces = ImmutableArray.CreateBuilder<NamespaceInfo>();
        var pods = ImmutableArray.CreateBuilder<PodInfo>();
        var policies = ImmutableArray.CreateBuilder<PolicyInfo>();
        var networks = NetworkNames.Select(n => new NetworkAttachmentInfo("infra", n, "macvlan", "{\"type\":\"macvlan\"}")).ToImmutableArray();
        var podIndex = 0;
        for (var n = 0; n < namespaceCount; n++)
        {
            var ns = $"team-{n:D2}";
            namespaces.Add(new NamespaceInfo(ns, ImmutableDictionary.CreateRange(
            [
                KeyValuePair.Create("kubernetes.io/metadata.name", ns),
                KeyValuePair.Create("team", $"t{n % 5}"),
                KeyValuePair.Create("env", n % 3 == 0 ? "prod" : "dev"),
            ])));
            for (var p = 0; p < PodsPerNamespace; p++, podIndex++)
            {
                pods.Add(MakePod(ns, p, podIndex, random));
            }

            for (var q = 0; q < PoliciesPerNamespace; q++)
            {
                policies.Add(MakePolicy(ns, q, random));
            }
        }

        return new ClusterSnapshot(namespaces.ToImmutable(), pods.ToImmutable(), networks, policies.ToImmutable(), []);
    }

    private static PodInfo MakePod(string ns, int p, int index, Random random)
    {
        var first = index % NetworkNames.Length;
        var interfaces = ImmutableArray.CreateBuilder<PodInterface>();
        interfaces.Add(Interface(first, "net1", index));
        if (random.Next(3) == 0)
        {
            interfaces.Add(Interface((first + 1) % NetworkNames.Length, "net2", index));
        }

        var labels = ImmutableDictionary.CreateRange(
        [
            KeyValuePair.Create("app", $"app{p % 10}"),
            KeyValuePair.Create("tier", p % 3 == 0 ? "web" : p % 3 == 1 ? "api" : "db"),
            KeyValuePair.Create("pod-template-hash", $"h{random.Next(1000)}"),
        ]);
        ImmutableArray<ContainerPort> ports = [new("http", 8080, Protocol.Tcp), new("metrics", 9090, Protocol.Tcp), new("dns", 53, Protocol.Udp)];
        return new PodInfo(ns, $"pod-{p:D3}", $"uid-{index}", labels, "Running", false,
            index % 25 == 0 ? Node : $"node-{1 + (index % 24)}", ports, interfaces.ToImmutable(), []);

        PodInterface Interface(int network, string name, int i)
        {
            ImmutableArray<IPAddress> addresses = i % 4 == 0
                ? [IPAddress.Parse($"10.{network}.{i / 250}.{(i % 250) + 1}"), IPAddress.Parse($"fd00:{network}::{i:x}")]
                : [IPAddress.Parse($"10.{network}.{i / 250}.{(i % 250) + 1}")];
            return new PodInterface(new NetworkRef("infra", NetworkNames[network]), name, addresses, null);
        }
    }

    private static PolicyInfo MakePolicy(string ns, int q, Random random)
    {
        var network = new NetworkRef("infra", NetworkNames[random.Next(NetworkNames.Length)]);
        var target = q == 0 ? LabelSelector.Everything : Select("app", $"app{q % 10}", $"app{(q + 3) % 10}");
        ImmutableArray<PolicyRule> ingress =
        [
            new(0, false, [new PodPeer(null, Select("tier", "web", "api")), new PodPeer(Select("team", $"t{q % 5}"), Select("app", $"app{random.Next(10)}"))], false,
                [new PortSpec(Protocol.Tcp, 80, null, null), new PortSpec(Protocol.Tcp, 8000, 8100, null), new PortSpec(Protocol.Tcp, null, null, "http")]),
            new(1, false, [new IpBlockPeer(IPNetwork.Parse($"10.{random.Next(4)}.0.0/16"), [IPNetwork.Parse($"10.0.{random.Next(20)}.0/24")])], false,
                [new PortSpec(Protocol.Udp, 53, null, null)]),
        ];
        ImmutableArray<PolicyRule> egress = q % 2 == 0
            ? [
                new(0, false, [new PodPeer(Select("env", "prod"), LabelSelector.Everything)], false, [new PortSpec(Protocol.Tcp, null, null, "metrics")]),
                new(1, true, [], false, [new PortSpec(Protocol.Udp, 53, null, null), new PortSpec(Protocol.Tcp, 53, null, null)]),
            ]
            : [];
        return new PolicyInfo(ns, $"policy-{q}", [network], new PolicySpec(target, true, q % 2 == 0, ingress, egress));
    }

    private static LabelSelector Select(string key, params string[] values) =>
        new([new LabelRequirement(key, SelectorOperator.In, [.. values])]);
}
