using Mnp.Policy.Rules;

namespace Mnp.Policy.Compiler;

/// <summary>
/// Adds or removes one pod's hosts in a resolved peer list without resolving it again. A resolved list holds the host
/// matches of the selected pods in rank order (the very <see cref="PeerEndpoint.Hosts"/> instances of their endpoints,
/// which a pod keeps while its addresses stay), then the ipBlocks; so the pod's slot is found by walking the network's
/// endpoints in rank order alongside the list, each selected one's first host being the next entry.
/// </summary>
internal static class SelectionSplice
{
    /// <summary>
    /// The list with <paramref name="endpoint"/>'s hosts in (<paramref name="selected"/>) or out; null when the list does
    /// not hold what the walk expects (the caller then resolves it again).
    /// </summary>
    public static ImmutableArray<PeerMatch>? Apply(IReadOnlyList<PeerEndpoint> endpoints, ImmutableArray<PeerMatch> matches, PeerEndpoint? endpoint, bool selected)
    {
        if (endpoint is null || endpoint.Rank >= endpoints.Count || !ReferenceEquals(endpoints[endpoint.Rank], endpoint))
        {
            return null;
        }

        var at = 0;
        for (var rank = 0; rank < endpoint.Rank && at < matches.Length; rank++)
        {
            var hosts = endpoints[rank].Hosts;
            if (ReferenceEquals(matches[at], hosts[0]))
            {
                at += hosts.Length;
            }
        }

        var present = at < matches.Length && ReferenceEquals(matches[at], endpoint.Hosts[0]);
        if (present == selected || at > matches.Length)
        {
            return null; // already so, or not the list the walk expects: resolve again
        }

        return selected ? matches.InsertRange(at, endpoint.Hosts) : matches.RemoveRange(at, endpoint.Hosts.Length);
    }
}
