using Mnp.Policy.Cluster;

namespace Mnp.Policy.Compiler;

/// <summary>
/// Adds or removes one pod's hosts in a resolved peer list without resolving it again. A resolved list holds the host
/// matches of the selected pods in rank order, a group per pod (the very <see cref="PeerEndpoint.Hosts"/> instances of
/// their endpoints, which a pod keeps while its addresses stay), then the ipBlocks; the network's endpoint list knows
/// each group by its first host, so the pod's slot is found by a binary search over the groups.
/// </summary>
internal static class SelectionSplice
{
    /// <summary>
    /// The resolution with <paramref name="pod"/>'s hosts in (<paramref name="selected"/>) or out; null when the list is
    /// not what the search expects, or already so (the caller then resolves it again).
    /// </summary>
    public static ResolvedPeers? Apply(EndpointList endpoints, ResolvedPeers peers, PodInfo pod, bool selected)
    {
        if (endpoints.Get(pod) is not { } endpoint)
        {
            return null;
        }

        // The first group ranked at or after the pod's: every group before `low` ranks below it, none from `high` on.
        var matches = peers.Matches;
        int low = 0, high = peers.Hosts;
        while (low < high)
        {
            var start = low + ((high - low) / 2);
            var middle = start;
            PeerEndpoint? group = null;
            while (start >= low && (group = endpoints.StartingWith(matches[start])) is null)
            {
                start--;
            }

            if (group is null || start + group.Hosts.Length <= middle)
            {
                return null;
            }

            if (group.Rank < endpoint.Rank)
            {
                low = start + group.Hosts.Length;
            }
            else
            {
                high = start;
            }
        }

        var present = low < peers.Hosts && ReferenceEquals(matches[low], endpoint.Hosts[0]);
        if (present == selected)
        {
            return null;
        }

        var hosts = endpoint.Hosts;
        return selected
            ? peers with { Matches = matches.InsertRange(low, hosts), Hosts = peers.Hosts + hosts.Length }
            : peers with { Matches = matches.RemoveRange(low, hosts.Length), Hosts = peers.Hosts - hosts.Length };
    }
}
