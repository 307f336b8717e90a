using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Compiler;

/// <summary>
/// Peer endpoints kept in pod order (namespace, name), so that a selector's matches come out in pod order without
/// sorting. A network's list also keeps each endpoint's <see cref="PeerEndpoint.Rank"/> equal to its position. Each
/// endpoint is also found by its first host match (the instance resolved peer lists hold), so that a position in such
/// a list tells whose hosts are there.
/// </summary>
internal sealed class EndpointList
{
    private readonly List<PeerEndpoint> _items = [];
    private readonly Dictionary<PeerMatch, PeerEndpoint> _byFirstHost = new(ReferenceEqualityComparer.Instance);

    public IReadOnlyList<PeerEndpoint> Items => _items;

    /// <summary>Bulk loading: append everything, then <see cref="Sort"/> or <see cref="SortAndRank"/> once.</summary>
    public void Append(PeerEndpoint endpoint)
    {
        _items.Add(endpoint);
        _byFirstHost[endpoint.Hosts[0]] = endpoint;
    }

    /// <summary>The endpoint whose first host match is this very instance, or null.</summary>
    public PeerEndpoint? StartingWith(PeerMatch host) => _byFirstHost.GetValueOrDefault(host);

    public void Sort() => _items.Sort(ByPod);

    public void SortAndRank()
    {
        Sort();
        Rank(0);
    }

    public void Insert(PeerEndpoint endpoint, bool rank)
    {
        var at = Find(endpoint.Pod);
        at = at < 0 ? ~at : at;
        _items.Insert(at, endpoint);
        _byFirstHost[endpoint.Hosts[0]] = endpoint;
        if (rank)
        {
            Rank(at);
        }
    }

    /// <summary>Removes the endpoint of this pod (same namespace and name); false when it has none here.</summary>
    public bool Remove(PodInfo pod, bool rank)
    {
        var at = Find(pod);
        if (at < 0)
        {
            return false;
        }

        _byFirstHost.Remove(_items[at].Hosts[0]);
        _items.RemoveAt(at);
        if (rank)
        {
            Rank(at);
        }

        return true;
    }

    /// <summary>
    /// Puts <paramref name="pod"/> (same namespace and name, same addresses) where <paramref name="old"/>'s endpoint is,
    /// with its rank and hosts; returns the new endpoint, or null when the old pod has none here.
    /// </summary>
    public PeerEndpoint? Replace(PodInfo old, PodInfo pod)
    {
        var at = Find(old);
        if (at < 0)
        {
            return null;
        }

        var endpoint = _items[at] with { Pod = pod };
        _items[at] = endpoint;
        _byFirstHost[endpoint.Hosts[0]] = endpoint;
        return endpoint;
    }

    /// <summary>The endpoint of this pod (same namespace and name), or null when it has none here.</summary>
    public PeerEndpoint? Get(PodInfo pod)
    {
        var at = Find(pod);
        return at < 0 ? null : _items[at];
    }

    /// <summary>Puts <paramref name="endpoint"/> in place of the endpoint of <paramref name="old"/> (same namespace and name).</summary>
    public void Replace(PodInfo old, PeerEndpoint endpoint)
    {
        _items[Find(old)] = endpoint;
        _byFirstHost[endpoint.Hosts[0]] = endpoint;
    }

    private int Find(PodInfo pod)
    {
        int low = 0, high = _items.Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var order = PodOrder.Instance.Compare(_items[middle].Pod, pod);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    private void Rank(int from)
    {
        for (var rank = from; rank < _items.Count; rank++)
        {
            _items[rank].Rank = rank;
        }
    }

    private static int ByPod(PeerEndpoint a, PeerEndpoint b) => PodOrder.Instance.Compare(a.Pod, b.Pod);
}
