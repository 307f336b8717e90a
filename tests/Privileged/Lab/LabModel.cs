using Mnp.Policy.Cluster;

namespace Mnp.Tests.Privileged.Lab;

/// <summary>Snapshots for lab tests, built from the cluster records: namespaces x, y, z with pods a, b, c on one NAD.</summary>
internal static class LabModel
{
    public const string DualStackHostLocal =
        """{"cniVersion":"0.4.0","type":"macvlan","mode":"bridge","ipam":{"type":"host-local","ranges":[[{"subnet":"10.77.0.0/24"}],[{"subnet":"fd77::/64"}]]}}""";

    public static string UniqueLabName() => "t" + Guid.NewGuid().ToString("N")[..8];

    public static NamespaceInfo Namespace(string name) =>
        new(name, ImmutableDictionary<string, string>.Empty.Add("kubernetes.io/metadata.name", name));

    public static PodInfo Pod(string ns, string name, ImmutableArray<NetworkRequest> networks, ImmutableArray<ContainerPort> ports = default) =>
        new(ns, name, Guid.NewGuid().ToString(), ImmutableDictionary<string, string>.Empty.Add("pod", name), "Running", false, "lab",
            ports.IsDefault ? [] : ports, [], networks);

    public static NetworkRequest On(string ns, string nad, string? iface = null, params string[] ips) => new(new NetworkRef(ns, nad), iface, [.. ips]);

    /// <summary>Namespaces x, y, z; pods a, b, c in each (x/a first), all on x/net1 with ports 80/TCP and 81/UDP.</summary>
    public static ClusterSnapshot NineWay(string config = DualStackHostLocal, int namespaces = 3, int podsPerNamespace = 3)
    {
        var names = new[] { "x", "y", "z" }.Take(namespaces).ToArray();
        var pods = names.SelectMany(ns => new[] { "a", "b", "c" }.Take(podsPerNamespace).Select(p =>
            Pod(ns, p, [On("x", "net1")], [new ContainerPort("serve-80-tcp", 80, Protocol.Tcp), new ContainerPort("serve-81-udp", 81, Protocol.Udp)])));
        return new ClusterSnapshot(
            [.. names.Select(Namespace)],
            [.. pods],
            [new NetworkAttachmentInfo("x", "net1", "macvlan", config)],
            [],
            []);
    }
}
