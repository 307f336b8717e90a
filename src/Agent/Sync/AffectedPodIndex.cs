using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Spec;

namespace Mnp.Agent.Sync;

/// <summary>
/// Answers "which local pods does this change affect": it keeps the local policy-endpoint pods and the pod peers of
/// every policy, and for each change (given the object before and after) the local pods whose compiled rules may differ afterwards (a superset; the sync compares
/// fingerprints and writes only the pods whose rules really changed). Rules live in the target pod, so:
/// a policy affects its targets (old and new selection); a pod affects itself and the targets of every policy with a
/// selector peer matching it before or after; a namespace affects the targets of policies whose namespace selector
/// matched it before or after; a NAD (rare) and anything not trimmed (manifest files) affect every local pod.
/// Not thread-safe: owned by the sync loop.
/// </summary>
public sealed class AffectedPodIndex(string? node)
{
    private readonly Dictionary<string, PolicyPeers> _policies = new(StringComparer.Ordinal);
    private readonly Dictionary<NetworkRef, List<PolicyPeers>> _policiesByNetwork = [];
    private readonly Dictionary<string, PodInfo> _local = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, PodInfo>> _localByNamespace = new(StringComparer.Ordinal);
    private readonly HashSet<string> _discard = new(StringComparer.Ordinal);
    private Func<string, NamespaceInfo?> _namespaces = _ => null;

    /// <summary>The local policy-endpoint pods the index knows of (trimmed sources only).</summary>
    public IReadOnlyDictionary<string, PodInfo> LocalPods => _local;

    public bool IsLocal(PodInfo pod) => pod.IsPolicyEndpoint && (node is null || pod.NodeName == node);

    /// <summary>
    /// Records a change from <paramref name="old"/> to <paramref name="value"/> (either null: created, removed) and adds
    /// the keys of the local pods it affects to <paramref name="affected"/> (null: only record, as while every pod is to
    /// be synced anyway); <paramref name="namespaces"/> gives the current namespaces. Returns false when it cannot tell
    /// (every local pod must be looked at).
    /// </summary>
    public bool Record(object? old, object? value, HashSet<string>? affected, Func<string, NamespaceInfo?> namespaces)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        _namespaces = namespaces;
        if (affected is null)
        {
            _discard.Clear();
            affected = _discard;
        }

        switch (old ?? value)
        {
            case PodInfo:
                RecordPod(old as PodInfo, value as PodInfo, affected);
                return true;
            case PolicyInfo:
                RecordPolicy(old as PolicyInfo, value as PolicyInfo, affected);
                return true;
            case NamespaceInfo:
                RecordNamespace(old as NamespaceInfo, value as NamespaceInfo, affected);
                return true;
            case null:
                // Neither before nor after parsed: an object that contributes nothing either way.
                return true;
            default:
                return false;
        }
    }

    private void RecordPod(PodInfo? old, PodInfo? now, HashSet<string> affected)
    {
        var pod = (now ?? old)!;
        if (now is not null && IsLocal(now))
        {
            _local[now.Key] = now;
            LocalIn(now.Namespace)[now.Key] = now;
            affected.Add(now.Key);
        }
        else if (_local.Remove(pod.Key))
        {
            LocalIn(pod.Namespace).Remove(pod.Key);
            affected.Add(pod.Key);
        }

        if (ReferenceEquals(affected, _discard))
        {
            return;
        }

        // A policy is affected only on the networks the pod is (or was) on, where the policy applies: peers are resolved
        // per network. When only labels changed, only where the pod starts or stops matching one of its peers; otherwise
        // (addresses, phase, ports, creation, deletion) wherever it matches a peer before or after, and wherever egress
        // named ports are resolved over addresses (any peer, ipBlocks), which cover every pod of the network. A verdict
        // can flip on labels alone only where the pod selector reads a changed label (the namespace is the same).
        var changed = old is not null && now is not null && SamePeerFacts(old, now) ? new ChangedLabels(old.Labels, now.Labels) : null;
        if (changed is { IsEmpty: true })
        {
            return; // nothing a peer reads changed
        }

        var namespaceLabels = _namespaces(pod.Namespace)?.Labels;
        var networks = NetworksOf(old, now);
        List<NetworkRef>? on = null;
        for (var visit = 0; visit < networks.Count; visit++)
        {
            if (!_policiesByNetwork.TryGetValue(networks[visit], out var entries))
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (OnEarlier(entry, networks, visit) || !Affects(entry, old, now, changed, pod.Namespace, namespaceLabels))
                {
                    continue;
                }

                on ??= [];
                on.Clear();
                foreach (var network in networks)
                {
                    if (entry.Networks.Contains(network))
                    {
                        on.Add(network);
                    }
                }

                AddTargets(entry.Policy, affected, on);
            }
        }
    }

    /// <summary>Whether the pod change affects the policy's targets (see <see cref="RecordPod"/>).</summary>
    private static bool Affects(PolicyPeers entry, PodInfo? old, PodInfo? now, ChangedLabels? changed, string ns, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        if (changed is null && entry.NamedPortsOverAddresses)
        {
            return true;
        }

        foreach (var peer in entry.Peers)
        {
            var affects = changed is not null
                ? changed.CanFlip(peer.PodSelector) && peer.PodSelector.Matches(old!.Labels) != peer.PodSelector.Matches(now!.Labels)
                    && InNamespace(entry.Policy, peer, ns, namespaceLabels)
                : InNamespace(entry.Policy, peer, ns, namespaceLabels)
                    && ((old is not null && peer.PodSelector.Matches(old.Labels)) || (now is not null && peer.PodSelector.Matches(now.Labels)));
            if (affects)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A policy on two of the pod's networks is looked at once, with the first.</summary>
    private static bool OnEarlier(PolicyPeers entry, List<NetworkRef> networks, int visit)
    {
        for (var i = 0; i < visit; i++)
        {
            if (entry.Networks.Contains(networks[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static List<NetworkRef> NetworksOf(PodInfo? old, PodInfo? now)
    {
        var networks = new List<NetworkRef>();
        Add(old);
        Add(now);
        return networks;

        void Add(PodInfo? pod)
        {
            if (pod is null || pod.Interfaces.IsDefault)
            {
                return;
            }

            foreach (var iface in pod.Interfaces)
            {
                if (!networks.Contains(iface.Network))
                {
                    networks.Add(iface.Network);
                }
            }
        }
    }

    private Dictionary<string, PodInfo> LocalIn(string ns)
    {
        if (!_localByNamespace.TryGetValue(ns, out var pods))
        {
            pods = new Dictionary<string, PodInfo>(StringComparer.Ordinal);
            _localByNamespace[ns] = pods;
        }

        return pods;
    }

    private void RecordPolicy(PolicyInfo? old, PolicyInfo? now, HashSet<string> affected)
    {
        if (old is not null)
        {
            if (_policies.Remove(old.Key, out var held))
            {
                foreach (var network in held.Networks)
                {
                    var list = _policiesByNetwork[network];
                    list.RemoveAt(list.FindIndex(e => ReferenceEquals(e, held)));
                }
            }

            AddTargets(old, affected);
        }

        if (now is not null)
        {
            var entry = PolicyPeers.Of(now);
            _policies[now.Key] = entry;
            foreach (var network in entry.Networks)
            {
                if (!_policiesByNetwork.TryGetValue(network, out var list))
                {
                    list = [];
                    _policiesByNetwork[network] = list;
                }

                list.Add(entry);
            }

            AddTargets(now, affected);
        }
    }

    private void RecordNamespace(NamespaceInfo? old, NamespaceInfo? now, HashSet<string> affected)
    {
        if (ReferenceEquals(affected, _discard))
        {
            return;
        }

        foreach (var (policy, peers, _, _) in _policies.Values)
        {
            foreach (var peer in peers)
            {
                // A namespace is only labels: it matters where a selector's verdict flips.
                if (peer.NamespaceSelector is { } selector
                    && (old is not null && selector.Matches(old.Labels)) != (now is not null && selector.Matches(now.Labels)))
                {
                    AddTargets(policy, affected);
                    break;
                }
            }
        }
    }

    /// <summary>Whether the peer selects pods of namespace <paramref name="ns"/> (labels: null when the cache does not know it).</summary>
    private static bool InNamespace(PolicyInfo policy, PodPeer peer, string ns, IReadOnlyDictionary<string, string>? labels) =>
        peer.NamespaceSelector is { } selector ? labels is not null && selector.Matches(labels) : ns == policy.Namespace;

    /// <summary>Everything about a pod that a peer rule reads, except its labels.</summary>
    private static bool SamePeerFacts(PodInfo old, PodInfo now) =>
        old.Phase == now.Phase && old.HostNetwork == now.HostNetwork && old.Ports.SequenceEqual(now.Ports)
        && old.Interfaces.Length == now.Interfaces.Length
        && old.Interfaces.Zip(now.Interfaces).All(p => p.First.Network == p.Second.Network && p.First.Interface == p.Second.Interface
            && p.First.Addresses.SequenceEqual(p.Second.Addresses));

    /// <summary>The local pods a policy selects (all of its namespace when its spec is not understood: it isolates
    /// them), only those with an interface on one of <paramref name="networks"/> when given.</summary>
    private void AddTargets(PolicyInfo policy, HashSet<string> affected, List<NetworkRef>? networks = null)
    {
        if (!_localByNamespace.TryGetValue(policy.Namespace, out var candidates))
        {
            return;
        }

        foreach (var pod in candidates.Values)
        {
            if ((policy.Spec is null || policy.Spec.PodSelector.Matches(pod.Labels)) && (networks is null || pod.Interfaces.Any(i => networks.Contains(i.Network))))
            {
                affected.Add(pod.Key);
            }
        }
    }

    /// <summary>What of a policy a pod change is checked against: its pod peers, its networks, and whether it resolves
    /// egress named ports over addresses (a rule with any peer or an ipBlock and a named port).</summary>
    private sealed record PolicyPeers(PolicyInfo Policy, PodPeer[] Peers, HashSet<NetworkRef> Networks, bool NamedPortsOverAddresses)
    {
        public static PolicyPeers Of(PolicyInfo policy)
        {
            var spec = policy.Spec;
            var rules = spec is null ? [] : spec.Ingress.Concat(spec.Egress).ToList();
            var namedOverAddresses = spec is not null && spec.Egress.Any(r =>
                r.Ports.Any(p => p.Name is not null) && (r.AnyPeer || r.Peers.Any(p => p is IpBlockPeer)));
            return new PolicyPeers(policy, [.. rules.SelectMany(r => r.Peers).OfType<PodPeer>()], [.. policy.PolicyFor], namedOverAddresses);
        }
    }
}
