using Mnp.Policy.Cluster;
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
    private readonly Dictionary<string, PodInfo> _local = new(StringComparer.Ordinal);
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
            affected.Add(now.Key);
        }
        else if (_local.Remove(pod.Key))
        {
            affected.Add(pod.Key);
        }

        if (ReferenceEquals(affected, _discard))
        {
            return;
        }

        // A policy is affected only on the networks the pod is (or was) on, where the policy applies: peers are resolved
        // per network. When only labels changed, only where the pod starts or stops matching one of its peers; otherwise
        // (addresses, phase, ports, creation, deletion) wherever it matches a peer before or after, and wherever egress
        // named ports are resolved over addresses (any peer, ipBlocks), which cover every pod of the network.
        var labelsOnly = old is not null && now is not null && SamePeerFacts(old, now);
        var networks = NetworksOf(old, now);
        foreach (var entry in _policies.Values)
        {
            var on = networks.Where(entry.Networks.Contains).ToList();
            if (on.Count == 0)
            {
                continue;
            }

            var affects = !labelsOnly && entry.NamedPortsOverAddresses;
            foreach (var peer in entry.Peers)
            {
                var before = old is not null && Matches(entry.Policy, peer, old);
                var after = now is not null && Matches(entry.Policy, peer, now);
                if (affects || (labelsOnly ? before != after : before || after))
                {
                    affects = true;
                    break;
                }
            }

            if (affects)
            {
                AddTargets(entry.Policy, affected, on);
            }
        }
    }

    private static HashSet<NetworkRef> NetworksOf(PodInfo? old, PodInfo? now)
    {
        var networks = new HashSet<NetworkRef>();
        foreach (var pod in new[] { old, now })
        {
            if (pod is not null && !pod.Interfaces.IsDefault)
            {
                foreach (var iface in pod.Interfaces)
                {
                    networks.Add(iface.Network);
                }
            }
        }

        return networks;
    }

    private void RecordPolicy(PolicyInfo? old, PolicyInfo? now, HashSet<string> affected)
    {
        if (old is not null)
        {
            _policies.Remove(old.Key);
            AddTargets(old, affected);
        }

        if (now is not null)
        {
            _policies[now.Key] = PolicyPeers.Of(now);
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

    private bool Matches(PolicyInfo policy, PodPeer peer, PodInfo pod)
    {
        var inNamespace = peer.NamespaceSelector is { } selector
            ? _namespaces(pod.Namespace) is { } ns && selector.Matches(ns.Labels)
            : pod.Namespace == policy.Namespace;
        return inNamespace && peer.PodSelector.Matches(pod.Labels);
    }

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
        foreach (var pod in _local.Values)
        {
            if (pod.Namespace == policy.Namespace && (policy.Spec is null || policy.Spec.PodSelector.Matches(pod.Labels))
                && (networks is null || pod.Interfaces.Any(i => networks.Contains(i.Network))))
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
