namespace Mnp.Policy.Compiler;

/// <summary>
/// The pods a peer list selects on one network and which of their addresses it matched: all of them for pods a
/// selector marked (by rank), only those inside a block for pods an ipBlock covers. Used to resolve egress named
/// ports per destination.
/// </summary>
internal sealed class PodSelection(bool[] markedByRank)
{
    private readonly Dictionary<int, HashSet<IPAddress>> _covered = [];

    public void Add(PeerEndpoint endpoint, IPAddress address)
    {
        if (!_covered.TryGetValue(endpoint.Rank, out var addresses))
        {
            addresses = [];
            _covered[endpoint.Rank] = addresses;
        }

        addresses.Add(address);
    }

    /// <summary>Selected pods in rank (pod) order, each with its matched addresses in the pod's own order.</summary>
    public ImmutableArray<PeerEndpoint> ToSortedEndpoints(IReadOnlyList<PeerEndpoint> endpoints)
    {
        var result = ImmutableArray.CreateBuilder<PeerEndpoint>();
        for (var rank = 0; rank < markedByRank.Length; rank++)
        {
            var endpoint = endpoints[rank];
            if (markedByRank[rank])
            {
                result.Add(endpoint);
            }
            else if (_covered.TryGetValue(rank, out var addresses))
            {
                result.Add(PeerEndpoint.Create(endpoint.Pod, [.. endpoint.Addresses.Where(addresses.Contains)]) with { Rank = rank });
            }
        }

        return result.ToImmutable();
    }
}
