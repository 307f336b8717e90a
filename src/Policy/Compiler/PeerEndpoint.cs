using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Compiler;

/// <summary>
/// A policy-endpoint pod and its addresses on one network (all its interfaces there), with those addresses as
/// canonical host matches, built once so that every rule selecting the pod shares them.
/// </summary>
internal sealed record PeerEndpoint(PodInfo Pod, ImmutableArray<IPAddress> Addresses, ImmutableArray<PeerMatch> Hosts)
{
    /// <summary>Position in the network's endpoint list (sorted by namespace, name): a cheap canonical order.</summary>
    public int Rank { get; set; }

    public static PeerEndpoint Create(PodInfo pod, ImmutableArray<IPAddress> addresses)
    {
        var hosts = new List<PeerMatch>(addresses.Length);
        foreach (var address in addresses)
        {
            hosts.Add(new PeerMatch(CompilationContext.HostNetwork(address), []));
        }

        return new PeerEndpoint(pod, addresses, PeerSet.Normalize(hosts));
    }
}
