using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab;

/// <summary>The <c>k8s.v1.cni.cncf.io/network-status</c> annotation a lab pod gets, shaped as Multus writes it
/// (secondary networks only: <c>[{name: "ns/nad", interface, ips, mac, dns: {}}]</c>), and the same as records.</summary>
public static class NetworkStatus
{
    public const string AnnotationName = "k8s.v1.cni.cncf.io/network-status";

    public static string ToJson(LabPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var entries = new JsonArray();
        foreach (var i in pod.Interfaces)
        {
            var entry = new JsonObject
            {
                ["name"] = i.Network.ToString(),
                ["interface"] = i.Interface,
                ["ips"] = new JsonArray([.. i.Addresses.Select(a => JsonValue.Create(a.Address.ToString()))]),
            };
            if (i.Mac is not null)
            {
                entry["mac"] = i.Mac;
            }

            entry["dns"] = new JsonObject();
            entries.Add(entry);
        }

        return entries.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The interfaces as the engine reads them from network-status.</summary>
    public static ImmutableArray<PodInterface> ToPodInterfaces(LabPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return [.. pod.Interfaces.Select(i => new PodInterface(i.Network, i.Interface, [.. i.Addresses.Select(a => a.Address)], i.Mac))];
    }
}
