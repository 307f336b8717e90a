using System.Globalization;
using Mnp.Policy.Cluster;

namespace Mnp.Tests.Support.Lab;

/// <summary>
/// Turns a snapshot whose pods carry interfaces (as network-status would give them) but no <c>networks</c> requests
/// into one the lab can build: each interface becomes a request for its network, name and addresses. An address's
/// prefix is the longest one holding every address of its family on that network, so all pods of a network share
/// one subnet (and two networks with disjoint addresses never get overlapping routes). For tests, which
/// hold snapshots rather than manifests (<see cref="LabControllerSnapshots"/>).
/// </summary>
public static class LabSnapshotRequests
{
    public static ClusterSnapshot FromInterfaces(ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var prefixes = snapshot.Pods
            .SelectMany(p => p.Interfaces)
            .SelectMany(i => i.Addresses.Select(a => (i.Network, Address: a)))
            .GroupBy(x => (x.Network, x.Address.AddressFamily))
            .ToDictionary(g => g.Key, g => CommonPrefix([.. g.Select(x => x.Address)]));
        return snapshot with
        {
            Pods = [.. snapshot.Pods.Select(p => p.RequestedNetworks.IsDefaultOrEmpty && !p.Interfaces.IsDefaultOrEmpty ? WithRequests(p, prefixes) : p)],
        };
    }

    private static PodInfo WithRequests(PodInfo pod, Dictionary<(NetworkRef, System.Net.Sockets.AddressFamily), int> prefixes) => pod with
    {
        RequestedNetworks =
        [
            .. pod.Interfaces.Select(i => new NetworkRequest(
                i.Network,
                i.Interface,
                [.. i.Addresses.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a}/{prefixes[(i.Network, a.AddressFamily)]}"))])),
        ],
    };

    /// <summary>The number of leading bits all <paramref name="addresses"/> (one family) have in common.</summary>
    public static int CommonPrefix(IReadOnlyList<IPAddress> addresses)
    {
        var first = addresses[0].GetAddressBytes();
        var bits = first.Length * 8;
        foreach (var other in addresses.Skip(1).Select(a => a.GetAddressBytes()))
        {
            for (var bit = 0; bit < bits; bit++)
            {
                var mask = 0x80 >> (bit % 8);
                if ((first[bit / 8] & mask) != (other[bit / 8] & mask))
                {
                    bits = bit;
                    break;
                }
            }
        }

        return bits;
    }
}
