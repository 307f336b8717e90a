using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Compiler;

/// <summary>
/// What compiling reads, indexed: the managed networks, namespaces by name, policies by namespace (by name), and the
/// policy-endpoint pods of each managed network as peers (in pod order, ranked) and per namespace. Filled once from a
/// snapshot (<see cref="Load"/>) or kept up to date one object at a time (the Set/Remove methods), which report the
/// networks whose peers changed so that cached resolutions over them can be dropped. Not thread-safe.
/// </summary>
internal sealed class CompilerIndex(PolicyOptions options)
{
    private readonly HashSet<NetworkRef> _managedNetworks = [];
    private readonly Dictionary<NetworkRef, NetworkAttachmentInfo> _networks = [];
    private readonly Dictionary<string, NamespaceInfo> _namespaces = new(StringComparer.Ordinal);
    private readonly List<string> _sortedNamespaceNames = [];
    private readonly Dictionary<string, List<PolicyInfo>> _policiesByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodInfo> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<NetworkRef, EndpointList> _endpointsByNetwork = [];
    private readonly Dictionary<(NetworkRef Network, string Namespace), EndpointList> _endpointsByNetworkAndNamespace = [];

    public PolicyOptions Options { get; } = options;

    public IReadOnlyDictionary<string, PodInfo> Pods => _pods;

    public IReadOnlyList<string> SortedNamespaceNames => _sortedNamespaceNames;

    public IEnumerable<NamespaceInfo> Namespaces => _namespaces.Values;

    public IEnumerable<NetworkAttachmentInfo> Networks => _networks.Values;

    public bool IsManaged(NetworkRef network) => _managedNetworks.Contains(network);

    public NamespaceInfo Namespace(string name) => _namespaces[name];

    public bool TryGetNamespace(string name, out NamespaceInfo? ns) => _namespaces.TryGetValue(name, out ns);

    public bool TryGetNetwork(NetworkRef network, out NetworkAttachmentInfo? info) => _networks.TryGetValue(network, out info);

    /// <summary>The policies of a namespace, sorted by name.</summary>
    public IReadOnlyList<PolicyInfo> PoliciesIn(string ns) => _policiesByNamespace.TryGetValue(ns, out var list) ? list : [];

    public IEnumerable<PolicyInfo> Policies => _policiesByNamespace.Values.SelectMany(l => l);

    public IReadOnlyList<PeerEndpoint> EndpointsOn(NetworkRef network) =>
        _endpointsByNetwork.TryGetValue(network, out var list) ? list.Items : [];

    /// <summary>The network's ranked endpoint list, or null when it has no peers.</summary>
    public EndpointList? EndpointListOn(NetworkRef network) => _endpointsByNetwork.GetValueOrDefault(network);

    public IReadOnlyList<PeerEndpoint> EndpointsOn(NetworkRef network, string ns) =>
        _endpointsByNetworkAndNamespace.TryGetValue((network, ns), out var list) ? list.Items : [];

    /// <summary>Everything from one snapshot, as a from-scratch compile sees it.</summary>
    public void Load(ClusterSnapshot snapshot)
    {
        foreach (var network in snapshot.Networks)
        {
            _networks[network.Ref] = network;
            if (IsManagedType(network))
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
        foreach (var policy in snapshot.Policies)
        {
            ListOf(_policiesByNamespace, policy.Namespace).Add(policy);
        }

        foreach (var list in _policiesByNamespace.Values)
        {
            list.Sort(PolicyByName);
        }

        foreach (var pod in snapshot.Pods)
        {
            _pods[pod.Key] = pod;
            foreach (var endpoint in EndpointsOf(pod))
            {
                ListOf(_endpointsByNetwork, endpoint.Network).Append(endpoint.Peer);
                ListOf(_endpointsByNetworkAndNamespace, (endpoint.Network, pod.Namespace)).Append(endpoint.Peer);
            }
        }

        foreach (var list in _endpointsByNetwork.Values)
        {
            list.SortAndRank();
        }

        foreach (var list in _endpointsByNetworkAndNamespace.Values)
        {
            list.Sort();
        }
    }

    /// <summary>Creates or replaces a pod; returns the networks whose peers changed.</summary>
    public HashSet<NetworkRef> SetPod(PodInfo pod)
    {
        if (_pods.TryGetValue(pod.Key, out var old) && SameAddresses(PeerAddresses(old), PeerAddresses(pod)))
        {
            return Replace(old, pod);
        }

        var changed = RemovePod(pod.Key);
        _pods[pod.Key] = pod;
        foreach (var endpoint in EndpointsOf(pod))
        {
            ListOf(_endpointsByNetwork, endpoint.Network).Insert(endpoint.Peer, rank: true);
            ListOf(_endpointsByNetworkAndNamespace, (endpoint.Network, pod.Namespace)).Insert(endpoint.Peer, rank: false);
            changed.Add(endpoint.Network);
        }

        return changed;
    }

    /// <summary>
    /// A pod whose peer addresses stay the same (a label, phase-free or port change) keeps its place in every endpoint
    /// list: its endpoints are swapped in place, not removed and inserted (which re-ranks the whole network).
    /// </summary>
    private HashSet<NetworkRef> Replace(PodInfo old, PodInfo pod)
    {
        var changed = new HashSet<NetworkRef>();
        _pods[pod.Key] = pod;
        foreach (var (network, list) in _endpointsByNetwork)
        {
            if (list.Replace(old, pod) is { } endpoint)
            {
                changed.Add(network);
                _endpointsByNetworkAndNamespace[(network, pod.Namespace)].Replace(old, endpoint);
            }
        }

        return changed;
    }

    private static bool SameAddresses(Dictionary<NetworkRef, ImmutableArray<IPAddress>> before, Dictionary<NetworkRef, ImmutableArray<IPAddress>> after)
    {
        if (before.Count != after.Count)
        {
            return false;
        }

        foreach (var (network, addresses) in before)
        {
            if (!after.TryGetValue(network, out var now) || !addresses.SequenceEqual(now))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes a pod (by <c>namespace/name</c>); returns the networks whose peers changed.</summary>
    public HashSet<NetworkRef> RemovePod(string key)
    {
        var changed = new HashSet<NetworkRef>();
        if (!_pods.Remove(key, out var old))
        {
            return changed;
        }

        foreach (var (network, list) in _endpointsByNetwork)
        {
            if (list.Remove(old, rank: true))
            {
                changed.Add(network);
            }
        }

        foreach (var network in changed)
        {
            if (_endpointsByNetworkAndNamespace.TryGetValue((network, old.Namespace), out var list))
            {
                list.Remove(old, rank: false);
            }
        }

        return changed;
    }

    public void SetNamespace(NamespaceInfo ns)
    {
        if (_namespaces.TryAdd(ns.Name, ns))
        {
            var at = _sortedNamespaceNames.BinarySearch(ns.Name, StringComparer.Ordinal);
            _sortedNamespaceNames.Insert(~at, ns.Name);
        }
        else
        {
            _namespaces[ns.Name] = ns;
        }
    }

    public void RemoveNamespace(string name)
    {
        if (_namespaces.Remove(name))
        {
            _sortedNamespaceNames.RemoveAt(_sortedNamespaceNames.BinarySearch(name, StringComparer.Ordinal));
        }
    }

    public void SetPolicy(PolicyInfo policy)
    {
        RemovePolicy(policy.Namespace, policy.Name);
        var list = ListOf(_policiesByNamespace, policy.Namespace);
        var at = list.BinarySearch(policy, PolicyNameOrder);
        list.Insert(at < 0 ? ~at : at, policy);
    }

    public void RemovePolicy(string ns, string name)
    {
        if (!_policiesByNamespace.TryGetValue(ns, out var list))
        {
            return;
        }

        list.RemoveAll(p => p.Name == name);
        if (list.Count == 0)
        {
            _policiesByNamespace.Remove(ns);
        }
    }

    /// <summary>A NAD can turn a network managed or unmanaged: the peers of every pod are indexed again (NADs change rarely).</summary>
    public void SetNetwork(NetworkAttachmentInfo network)
    {
        _networks[network.Ref] = network;
        Reindex();
    }

    public void RemoveNetwork(NetworkRef network)
    {
        _networks.Remove(network);
        Reindex();
    }

    private void Reindex()
    {
        _managedNetworks.Clear();
        foreach (var network in _networks.Values.Where(IsManagedType))
        {
            _managedNetworks.Add(network.Ref);
        }

        _endpointsByNetwork.Clear();
        _endpointsByNetworkAndNamespace.Clear();
        var pods = _pods.Values.ToList();
        _pods.Clear();
        foreach (var pod in pods)
        {
            SetPod(pod);
        }
    }

    private bool IsManagedType(NetworkAttachmentInfo network) =>
        network.PluginType is not null && Options.ManagedPlugins.Contains(network.PluginType);

    /// <summary>Only policy endpoints on managed networks can be selector peers: a pod's addresses per such network (in interface order).</summary>
    public Dictionary<NetworkRef, ImmutableArray<IPAddress>> PeerAddresses(PodInfo pod)
    {
        var byNetwork = new Dictionary<NetworkRef, ImmutableArray<IPAddress>>();
        if (!pod.IsPolicyEndpoint || pod.Interfaces.IsDefaultOrEmpty)
        {
            return byNetwork;
        }

        foreach (var iface in pod.Interfaces)
        {
            if (!_managedNetworks.Contains(iface.Network) || iface.Addresses.IsDefaultOrEmpty)
            {
                continue;
            }

            byNetwork[iface.Network] = byNetwork.TryGetValue(iface.Network, out var existing) ? existing.AddRange(iface.Addresses) : iface.Addresses;
        }

        return byNetwork;
    }

    private IEnumerable<(NetworkRef Network, PeerEndpoint Peer)> EndpointsOf(PodInfo pod) =>
        PeerAddresses(pod).Select(group => (group.Key, PeerEndpoint.Create(pod, group.Value)));

    private static readonly Comparer<PolicyInfo> PolicyNameOrder = Comparer<PolicyInfo>.Create(PolicyByName);

    private static int PolicyByName(PolicyInfo a, PolicyInfo b) => string.CompareOrdinal(a.Name, b.Name);

    private static TList ListOf<TKey, TList>(Dictionary<TKey, TList> index, TKey key)
        where TKey : notnull
        where TList : new()
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = new TList();
            index[key] = list;
        }

        return list;
    }
}
