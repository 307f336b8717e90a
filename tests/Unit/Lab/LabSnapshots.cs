using Mnp.Policy.Cluster;

namespace Mnp.Tests.Unit.Lab;

/// <summary>Small snapshots for lab planner tests, built from the cluster records.</summary>
internal static class LabSnapshots
{
    public static NetworkAttachmentInfo Nad(string config, string ns = "x", string name = "net1") => new(ns, name, "macvlan", config);

    public static NetworkRequest On(string network, string? iface = null, params string[] ips)
    {
        Assert.True(NetworkRef.TryParse(network, "x", out var reference));
        return new NetworkRequest(reference, iface, [.. ips]);
    }

    public static PodInfo Pod(string key, params NetworkRequest[] networks)
    {
        var parts = key.Split('/');
        return new PodInfo(parts[0], parts[1], key, ImmutableDictionary<string, string>.Empty, "Running", false, "lab", [], [], [.. networks]);
    }

    public static ClusterSnapshot Snapshot(IEnumerable<NetworkAttachmentInfo> nads, params PodInfo[] pods) =>
        new(
            [.. pods.Select(p => p.Namespace).Append("x").Distinct().Select(n => new NamespaceInfo(n, ImmutableDictionary<string, string>.Empty))],
            [.. pods],
            [.. nads],
            [],
            []);
}
