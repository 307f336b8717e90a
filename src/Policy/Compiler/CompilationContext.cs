using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Compiler;

/// <summary>
/// One compilation over one snapshot: indexes pods by network and namespace, policies by namespace, and
/// caches peer resolution per (policy, direction, rule, network) so that many local pods selected by the
/// same policy share the work.
/// </summary>
internal sealed class CompilationContext
{
    private static readonly ImmutableArray<PeerEndpoint> NoEndpoints = [];

    private readonly HashSet<NetworkRef> _managedNetworks = [];
    private readonly Dictionary<string, NamespaceInfo> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PolicyInfo>> _policiesByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<NetworkRef, List<PeerEndpoint>> _endpointsByNetwork = [];
    private readonly Dictionary<(NetworkRef Network, string Namespace), List<PeerEndpoint>> _endpointsByNetworkAndNamespace = [];
    private readonly Dictionary<(string Policy, Direction Direction, int Rule, NetworkRef Network), ResolvedPeers> _peerCache = [];
    private readonly Dictionary<(string Policy, int Rule, NetworkRef Network), List<Allowance>> _egressNamedPortCache = [];
    private readonly Dictionary<(Protocol Protocol, int Number), PortRange> _singlePorts = [];
    private readonly Dictionary<PodInfo, Dictionary<(string Name, Protocol Protocol), List<int>>> _namedPorts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<LabelSelector, List<string>> _namespaceMatches = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _sortedNamespaceNames = [];
    private readonly int _maxEntriesPerDirection;

    public CompilationContext(ClusterSnapshot snapshot, PolicyOptions options)
    {
        _maxEntriesPerDirection = options.MaxEntriesPerDirection;
        foreach (var network in snapshot.Networks)
        {
            if (network.PluginType is not null && options.ManagedPlugins.Contains(network.PluginType))
            {
                _managedNetworks.Add(network.Ref);
            }
        }

        foreach (var ns in snapshot.Namespaces)
        {
            _namespaces[ns.Name] = ns;
        }

        _sortedNamespaceNames.AddRange(_namespaces.Keys);
        _sortedNamespaceNames.Sort(StringComparer.Ordinal);
        IndexPolicies(snapshot.Policies);
        IndexEndpoints(snapshot.Pods);
    }

    public PodRules? CompilePod(PodInfo pod)
    {
        var selecting = SelectingPolicies(pod);
        var interfaces = new List<InterfaceRules>();
        var problems = ImmutableArray.CreateBuilder<Problem>();
        foreach (var iface in pod.Interfaces)
        {
            if (!_managedNetworks.Contains(iface.Network))
            {
                continue;
            }

            interfaces.Add(new InterfaceRules(
                iface.Interface,
                iface.Network,
                iface.Addresses,
                CompileDirection(pod, iface, Direction.Ingress, selecting, problems),
                CompileDirection(pod, iface, Direction.Egress, selecting, problems)));
        }

        if (interfaces.Count == 0)
        {
            return null;
        }

        interfaces.Sort((a, b) => string.CompareOrdinal(a.Interface, b.Interface));
        return new PodRules(pod, [.. interfaces]) { Problems = problems.ToImmutable() };
    }

    private void IndexPolicies(ImmutableArray<PolicyInfo> policies)
    {
        foreach (var policy in policies)
        {
            if (!_policiesByNamespace.TryGetValue(policy.Namespace, out var list))
            {
                list = [];
                _policiesByNamespace[policy.Namespace] = list;
            }

            list.Add(policy);
        }

        foreach (var list in _policiesByNamespace.Values)
        {
            list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        }
    }

    /// <summary>Only policy endpoints on managed networks can be selector peers; their addresses are grouped per network.</summary>
    private void IndexEndpoints(ImmutableArray<PodInfo> pods)
    {
        foreach (var pod in pods)
        {
            if (!pod.IsPolicyEndpoint || pod.Interfaces.IsDefaultOrEmpty)
            {
                continue;
            }

            foreach (var group in AddressesByNetwork(pod))
            {
                var endpoint = PeerEndpoint.Create(pod, group.Value);
                Append(_endpointsByNetwork, group.Key, endpoint);
                Append(_endpointsByNetworkAndNamespace, (group.Key, pod.Namespace), endpoint);
            }
        }

        foreach (var list in _endpointsByNetwork.Values)
        {
            list.Sort((a, b) => PodOrder.Instance.Compare(a.Pod, b.Pod));
            for (var rank = 0; rank < list.Count; rank++)
            {
                list[rank].Rank = rank;
            }
        }

        foreach (var list in _endpointsByNetworkAndNamespace.Values)
        {
            list.Sort((a, b) => PodOrder.Instance.Compare(a.Pod, b.Pod));
        }
    }

    private Dictionary<NetworkRef, ImmutableArray<IPAddress>> AddressesByNetwork(PodInfo pod)
    {
        var result = new Dictionary<NetworkRef, ImmutableArray<IPAddress>>();
        foreach (var iface in pod.Interfaces)
        {
            if (!_managedNetworks.Contains(iface.Network) || iface.Addresses.IsDefaultOrEmpty)
            {
                continue;
            }

            result[iface.Network] = result.TryGetValue(iface.Network, out var existing)
                ? existing.AddRange(iface.Addresses)
                : iface.Addresses;
        }

        return result;
    }

    private static void Append<TKey>(Dictionary<TKey, List<PeerEndpoint>> index, TKey key, PeerEndpoint endpoint)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = [];
            index[key] = list;
        }

        list.Add(endpoint);
    }

    /// <summary>Policies of the pod's namespace whose podSelector selects it (an unparsable spec selects every pod).</summary>
    private List<PolicyInfo> SelectingPolicies(PodInfo pod)
    {
        var selecting = new List<PolicyInfo>();
        if (!_policiesByNamespace.TryGetValue(pod.Namespace, out var candidates))
        {
            return selecting;
        }

        foreach (var policy in candidates)
        {
            if (policy.Spec is null || policy.Spec.PodSelector.Matches(pod.Labels))
            {
                selecting.Add(policy);
            }
        }

        return selecting;
    }

    private DirectionRules CompileDirection(
        PodInfo pod, PodInterface iface, Direction direction, List<PolicyInfo> selecting, ImmutableArray<Problem>.Builder problems)
    {
        var network = iface.Network;
        var names = ImmutableArray.CreateBuilder<string>();
        var allowances = new List<Allowance>();
        var ruleAllowances = new List<Allowance>();
        long entries = 0;
        foreach (var policy in selecting)
        {
            if (!PolicyNetworks.AppliesTo(policy, network))
            {
                continue;
            }

            var spec = policy.Spec;
            if (spec is null)
            {
                names.Add(policy.Key);
                continue;
            }

            var affects = direction == Direction.Ingress ? spec.AffectsIngress : spec.AffectsEgress;
            if (!affects)
            {
                continue;
            }

            names.Add(policy.Key);
            var rules = direction == Direction.Ingress ? spec.Ingress : spec.Egress;
            foreach (var rule in rules)
            {
                // Rules are admitted in policy-name and rule order while the direction stays within the limit; one that
                // would pass it is refused whole (never half a rule), so the result is deterministic and never wider.
                ruleAllowances.Clear();
                AddAllowances(policy, direction, rule, network, pod, ruleAllowances);
                var cost = ExpansionLimit.Entries(ruleAllowances);
                if (entries + cost > _maxEntriesPerDirection)
                {
                    problems.Add(Refused(policy, direction, rule, pod, iface, cost, entries));
                    continue;
                }

                entries += cost;
                allowances.AddRange(ruleAllowances);
            }
        }

        return names.Count == 0 ? DirectionRules.Open : new DirectionRules(true, names.ToImmutable(), [.. allowances]);
    }

    private Problem Refused(PolicyInfo policy, Direction direction, PolicyRule rule, PodInfo pod, PodInterface iface, long cost, long admitted)
    {
        var field = $"spec.{(direction == Direction.Ingress ? "ingress" : "egress")}[{rule.Index}]";
        var already = admitted == 0 ? string.Empty : $" after {admitted} from earlier rules";
        return new Problem(
            Input.MultiNetworkPolicyParser.Kind,
            policy.Namespace,
            policy.Name,
            field,
            $"on pod {pod.Key} interface {iface.Interface}: {cost} match entries (peers x ports){already} pass the limit of " +
            $"{_maxEntriesPerDirection} per interface and direction: the rule allows nothing there");
    }

    private void AddAllowances(PolicyInfo policy, Direction direction, PolicyRule rule, NetworkRef network, PodInfo target, List<Allowance> allowances)
    {
        var origin = new RuleOrigin(policy.Key, direction, rule.Index);
        var peers = rule.AnyPeer ? null : Resolve(policy, direction, rule, network);
        if (peers is not null && peers.Matches.IsEmpty)
        {
            return; // a peer list that matches nothing still isolates, but allows nothing
        }

        var matches = peers?.Matches ?? [];
        if (rule.AnyPort)
        {
            allowances.Add(new Allowance(origin, rule.AnyPeer, matches, true, []));
            return;
        }

        var ports = new List<PortRange>();
        var hasNamedPort = false;
        foreach (var port in rule.Ports)
        {
            if (port.Name is null)
            {
                ports.Add(port.Port is int from ? new PortRange(port.Protocol, from, port.EndPort ?? from) : PortRange.All(port.Protocol));
            }
            else if (direction == Direction.Ingress)
            {
                AddNamedPort(target, port, ports); // ingress: the destination is the selected pod itself
            }
            else
            {
                hasNamedPort = true;
            }
        }

        if (ports.Count > 0)
        {
            allowances.Add(new Allowance(origin, rule.AnyPeer, matches, false, PortSet.Normalize(ports)));
        }

        if (hasNamedPort)
        {
            // Egress named ports depend on the destinations only, so every selected source pod shares them.
            var key = (policy.Key, rule.Index, network);
            if (!_egressNamedPortCache.TryGetValue(key, out var named))
            {
                named = [];
                AddEgressNamedPortAllowances(origin, rule, network, peers, named);
                _egressNamedPortCache[key] = named;
            }

            allowances.AddRange(named);
        }
    }

    /// <summary>
    /// Egress named ports resolve per destination pod: each destination pod whose address the rule's peers match
    /// contributes those addresses with that pod's ports. Non-pod addresses never match. Destinations whose ports
    /// resolve to the same set share one allowance (a union of equivalent allowances), in first-seen pod order.
    /// </summary>
    private void AddEgressNamedPortAllowances(RuleOrigin origin, PolicyRule rule, NetworkRef network, ResolvedPeers? peers, List<Allowance> allowances)
    {
        var candidates = peers is null ? EndpointsOn(network) : peers.SelectedPods;
        var groups = new List<(ImmutableArray<PortRange> Ports, List<PeerMatch> Hosts)>();
        var groupsByHash = new Dictionary<int, List<int>>();
        var ports = new List<PortRange>();
        foreach (var destination in candidates)
        {
            ports.Clear();
            foreach (var port in rule.Ports)
            {
                if (port.Name is not null)
                {
                    AddNamedPort(destination.Pod, port, ports);
                }
            }

            if (ports.Count > 0)
            {
                var hosts = HostsFor(groups, groupsByHash, ports);
                foreach (var host in destination.Hosts)
                {
                    hosts.Add(host); // selected pods carry only the matched addresses
                }
            }
        }

        foreach (var (resolved, hosts) in groups)
        {
            allowances.Add(new Allowance(origin, false, [.. hosts], false, resolved));
        }
    }

    /// <summary>The hosts of the group with these ports, found by content hash: a scan of every group per destination
    /// was quadratic when each of thousands of destinations resolves the name to its own port.</summary>
    private static List<PeerMatch> HostsFor(
        List<(ImmutableArray<PortRange> Ports, List<PeerMatch> Hosts)> groups, Dictionary<int, List<int>> groupsByHash, List<PortRange> ports)
    {
        PortSet.NormalizeInPlace(ports);
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ports);
        var hash = default(HashCode);
        foreach (var port in span)
        {
            hash.Add(port);
        }

        var key = hash.ToHashCode();
        if (!groupsByHash.TryGetValue(key, out var candidates))
        {
            candidates = [];
            groupsByHash[key] = candidates;
        }

        foreach (var index in candidates)
        {
            if (groups[index].Ports.AsSpan().SequenceEqual(span))
            {
                return groups[index].Hosts;
            }
        }

        var hosts = new List<PeerMatch>();
        candidates.Add(groups.Count);
        groups.Add(([.. ports], hosts));
        return hosts;
    }

    private void AddNamedPort(PodInfo pod, PortSpec port, List<PortRange> ports)
    {
        if (pod.Ports.Length > 16)
        {
            // Thousands of declared ports times thousands of named port entries was quadratic: index the pod's names once.
            if (NamedPortsOf(pod).TryGetValue((port.Name!, port.Protocol), out var numbers))
            {
                foreach (var number in numbers)
                {
                    ports.Add(SinglePort(port.Protocol, number));
                }
            }

            return;
        }

        foreach (var declared in pod.Ports)
        {
            if (declared.Name == port.Name && declared.Protocol == port.Protocol)
            {
                ports.Add(SinglePort(declared.Protocol, declared.Number));
            }
        }
    }

    private Dictionary<(string Name, Protocol Protocol), List<int>> NamedPortsOf(PodInfo pod)
    {
        if (!_namedPorts.TryGetValue(pod, out var index))
        {
            index = [];
            foreach (var declared in pod.Ports)
            {
                if (declared.Name is not null)
                {
                    if (!index.TryGetValue((declared.Name, declared.Protocol), out var numbers))
                    {
                        numbers = [];
                        index[(declared.Name, declared.Protocol)] = numbers;
                    }

                    numbers.Add(declared.Number);
                }
            }

            _namedPorts[pod] = index;
        }

        return index;
    }

    /// <summary>Shared instances: named ports resolve to the same few ports on thousands of pods.</summary>
    private PortRange SinglePort(Protocol protocol, int number)
    {
        if (!_singlePorts.TryGetValue((protocol, number), out var range))
        {
            range = new PortRange(protocol, number, number);
            _singlePorts[(protocol, number)] = range;
        }

        return range;
    }

    private IReadOnlyList<PeerEndpoint> EndpointsOn(NetworkRef network) =>
        _endpointsByNetwork.TryGetValue(network, out var list) ? list : NoEndpoints;

    private ResolvedPeers Resolve(PolicyInfo policy, Direction direction, PolicyRule rule, NetworkRef network)
    {
        var key = (policy.Key, direction, rule.Index, network);
        if (!_peerCache.TryGetValue(key, out var resolved))
        {
            resolved = ResolveUncached(policy, direction, rule, network);
            _peerCache[key] = resolved;
        }

        return resolved;
    }

    private ResolvedPeers ResolveUncached(PolicyInfo policy, Direction direction, PolicyRule rule, NetworkRef network)
    {
        var endpoints = EndpointsOn(network);
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

        var matches = new List<PeerMatch>();
        for (var rank = 0; rank < marked.Length; rank++)
        {
            if (marked[rank])
            {
                foreach (var host in endpoints[rank].Hosts)
                {
                    matches.Add(host);
                }
            }
        }

        matches.AddRange(PeerSet.Normalize(blocks));
        return new ResolvedPeers([.. matches], covered?.ToSortedEndpoints(endpoints) ?? []);
    }

    private static bool HasNamedPort(PolicyRule rule)
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
        if (!_endpointsByNetworkAndNamespace.TryGetValue((network, ns), out var endpoints))
        {
            return;
        }

        foreach (var endpoint in endpoints)
        {
            if (!marked[endpoint.Rank] && podSelector.Matches(endpoint.Pod.Labels))
            {
                marked[endpoint.Rank] = true;
            }
        }
    }

    /// <summary>Namespaces (known to the snapshot) whose labels match; an unknown namespace never matches.</summary>
    private List<string> MatchingNamespaces(LabelSelector selector)
    {
        if (_namespaceMatches.TryGetValue(selector, out var cached))
        {
            return cached;
        }

        var result = new List<string>();
        foreach (var name in _sortedNamespaceNames)
        {
            if (selector.Matches(_namespaces[name].Labels))
            {
                result.Add(name);
            }
        }

        _namespaceMatches[selector] = result;
        return result;
    }

    internal static IPNetwork HostNetwork(IPAddress address) =>
        new(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
}
