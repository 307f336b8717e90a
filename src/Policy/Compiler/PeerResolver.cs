using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Compiler;

/// <summary>
/// What a rule's peer list matches on one network, cached per (policy, direction, rule) and network so that every
/// local pod a policy selects shares the work. Cached results over a network are dropped when its peers change
/// (<see cref="Forget(NetworkRef, PodChange)"/>: only those the pod's change can alter; when only a pod's labels changed,
/// a rule that starts or stops selecting it gets its hosts inserted or removed instead), all of them when namespaces
/// or policies change.
/// </summary>
internal sealed class PeerResolver(CompilerIndex index)
{
    private readonly Dictionary<NetworkRef, Dictionary<(string Policy, Direction Direction, int Rule), (PolicyInfo Policy, PolicyRule Rule, ResolvedPeers Peers)>> _peers = [];
    private readonly Dictionary<LabelSelector, List<string>> _namespaceMatches = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Brings the resolutions over <paramref name="network"/> that <paramref name="change"/> can change up to date:
    /// after a label change, a rule whose selection of the pod flips gets the pod's hosts spliced in or out (a wide
    /// rule's re-resolution walks thousands of pods); anything else it can change is dropped, to be resolved again.
    /// </summary>
    public void Forget(NetworkRef network, PodChange change)
    {
        if (!_peers.TryGetValue(network, out var cache))
        {
            return;
        }

        List<((string, Direction, int) Key, ResolvedPeers Peers)>? patched = null;
        foreach (var (key, entry) in cache)
        {
            if (!change.Affects(entry.Policy, key.Direction, entry.Rule))
            {
                continue;
            }

            // Egress named ports also keep the selected pods: those are resolved again.
            if (!(key.Direction == Direction.Egress && HasNamedPort(entry.Rule)) && change.Selection(entry.Policy, entry.Rule) is (var before, var after))
            {
                if (before == after)
                {
                    continue; // another of its peers selects the pod before and after
                }

                if (index.EndpointListOn(network) is { } endpoints && SelectionSplice.Apply(endpoints, entry.Peers, change.Pod, after) is { } spliced)
                {
                    (patched ??= []).Add((key, spliced));
                    continue;
                }
            }

            cache.Remove(key);
        }

        foreach (var (key, peers) in patched ?? [])
        {
            cache[key] = cache[key] with { Peers = peers };
        }
    }

    public void ForgetAll()
    {
        _peers.Clear();
        _namespaceMatches.Clear();
    }

    public ResolvedPeers Resolve(PolicyInfo policy, Direction direction, PolicyRule rule, NetworkRef network)
    {
        if (!_peers.TryGetValue(network, out var cache))
        {
            cache = [];
            _peers[network] = cache;
        }

        var key = (policy.Key, direction, rule.Index);
        if (!cache.TryGetValue(key, out var entry))
        {
            entry = (policy, rule, ResolveUncached(policy, direction, rule, network));
            cache[key] = entry;
        }

        return entry.Peers;
    }

    public static bool HasNamedPort(PolicyRule rule)
    {
        foreach (var port in rule.Ports)
        {
            if (port.Name is not null)
            {
                return true;
            }
        }

        return false;
    }

    private ResolvedPeers ResolveUncached(PolicyInfo policy, Direction direction, PolicyRule rule, NetworkRef network)
    {
        var endpoints = index.EndpointsOn(network);
        var marked = new bool[endpoints.Count]; // selector matches by rank: yields pod order without sorting
        var blocks = new List<PeerMatch>();
        var needsPods = direction == Direction.Egress && HasNamedPort(rule);
        var covered = needsPods ? new PodSelection(marked) : null;
        foreach (var peer in rule.Peers)
        {
            switch (peer)
            {
                case IpBlockPeer block:
                    blocks.Add(new PeerMatch(block.Cidr, block.Except));
                    if (covered is not null)
                    {
                        SelectCoveredPods(block, endpoints, covered);
                    }

                    break;
                case PodPeer pods:
                    SelectPods(policy, pods, network, marked);
                    break;
            }
        }

        // Sized before filling: the matches of a wide selector run to thousands, and growing a list copies them repeatedly.
        var normalizedBlocks = PeerSet.Normalize(blocks);
        var hosts = 0;
        for (var rank = 0; rank < marked.Length; rank++)
        {
            hosts += marked[rank] ? endpoints[rank].Hosts.Length : 0;
        }

        var matches = ImmutableArray.CreateBuilder<PeerMatch>(hosts + normalizedBlocks.Length);
        for (var rank = 0; rank < marked.Length; rank++)
        {
            if (marked[rank])
            {
                matches.AddRange(endpoints[rank].Hosts);
            }
        }

        matches.AddRange(normalizedBlocks);
        return new ResolvedPeers(matches.MoveToImmutable(), covered?.ToSortedEndpoints(endpoints) ?? [], hosts);
    }

    /// <summary>A pod address inside an ipBlock stands for the pod when resolving egress named ports.</summary>
    private static void SelectCoveredPods(IpBlockPeer block, IReadOnlyList<PeerEndpoint> endpoints, PodSelection selection)
    {
        var match = new PeerMatch(block.Cidr, block.Except);
        foreach (var endpoint in endpoints)
        {
            foreach (var address in endpoint.Addresses)
            {
                if (match.Contains(address))
                {
                    selection.Add(endpoint, address);
                }
            }
        }
    }

    private void SelectPods(PolicyInfo policy, PodPeer peer, NetworkRef network, bool[] marked)
    {
        if (peer.NamespaceSelector is null)
        {
            SelectPodsIn(policy.Namespace, peer.PodSelector, network, marked);
            return;
        }

        foreach (var ns in MatchingNamespaces(peer.NamespaceSelector))
        {
            SelectPodsIn(ns, peer.PodSelector, network, marked);
        }
    }

    private void SelectPodsIn(string ns, LabelSelector podSelector, NetworkRef network, bool[] marked)
    {
        foreach (var endpoint in index.EndpointsOn(network, ns))
        {
            if (!marked[endpoint.Rank] && podSelector.Matches(endpoint.Pod.Labels))
            {
                marked[endpoint.Rank] = true;
            }
        }
    }

    /// <summary>Namespaces (known to the index) whose labels match; an unknown namespace never matches.</summary>
    private List<string> MatchingNamespaces(LabelSelector selector)
    {
        if (_namespaceMatches.TryGetValue(selector, out var cached))
        {
            return cached;
        }

        var result = new List<string>();
        foreach (var name in index.SortedNamespaceNames)
        {
            if (selector.Matches(index.Namespace(name).Labels))
            {
                result.Add(name);
            }
        }

        _namespaceMatches[selector] = result;
        return result;
    }
}
