using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Spec;

namespace Mnp.Agent.Sync;

/// <summary>
/// Answers "which local pods does this change affect": the current objects by key, the local policy-endpoint pods,
/// and for each change the local pods whose compiled rules may differ afterwards (a superset; the sync compares
/// fingerprints and writes only the pods whose rules really changed). Rules live in the target pod, so:
/// a policy affects its targets (old and new selection); a pod affects itself and the targets of every policy with a
/// selector peer matching it before or after; a namespace affects the targets of policies whose namespace selector
/// matched it before or after; a NAD (rare) and anything not trimmed (manifest files) affect every local pod.
/// Not thread-safe: owned by the sync loop.
/// </summary>
public sealed class AffectedPodIndex(string? node)
{
    private readonly Dictionary<ObjectKey, object> _values = [];
    private readonly Dictionary<string, (PolicyInfo Policy, PodPeer[] Peers)> _policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NamespaceInfo> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodInfo> _local = new(StringComparer.Ordinal);
    private readonly HashSet<string> _discard = new(StringComparer.Ordinal);

    /// <summary>The local policy-endpoint pods the index knows of (trimmed sources only).</summary>
    public IReadOnlyDictionary<string, PodInfo> LocalPods => _local;

    public bool IsLocal(PodInfo pod) => pod.IsPolicyEndpoint && (node is null || pod.NodeName == node);

    /// <summary>
    /// Records the change and adds the keys of the local pods it affects to <paramref name="affected"/> (null: only
    /// record, as while every pod is to be synced anyway); returns false when it cannot tell (every local pod must be looked at).
    /// </summary>
    public bool Record(ObjectKey key, object? value, HashSet<string>? affected)
    {
        if (affected is null)
        {
            _discard.Clear();
            affected = _discard;
        }
        ArgumentNullException.ThrowIfNull(affected);
        _values.TryGetValue(key, out var old);
        if (value is null)
        {
            _values.Remove(key);
        }
        else
        {
            _values[key] = value;
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

        // When only labels changed, a policy is affected only where the pod starts or stops matching one of its
        // peers; otherwise (addresses, phase, ports, creation, deletion) wherever it matches a peer before or after.
        var labelsOnly = old is not null && now is not null && SamePeerFacts(old, now);
        foreach (var (policy, peers) in _policies.Values)
        {
            foreach (var peer in peers)
            {
                var before = old is not null && Matches(policy, peer, old);
                var after = now is not null && Matches(policy, peer, now);
                if (labelsOnly ? before != after : before || after)
                {
                    AddTargets(policy, affected);
                    break;
                }
            }
        }
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
            _policies[now.Key] = (now, [.. PodPeers(now)]);
            AddTargets(now, affected);
        }
    }

    private void RecordNamespace(NamespaceInfo? old, NamespaceInfo? now, HashSet<string> affected)
    {
        var name = (now ?? old)!.Name;
        if (now is null)
        {
            _namespaces.Remove(name);
        }
        else
        {
            _namespaces[name] = now;
        }

        if (ReferenceEquals(affected, _discard))
        {
            return;
        }

        foreach (var (policy, peers) in _policies.Values)
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
            ? _namespaces.TryGetValue(pod.Namespace, out var ns) && selector.Matches(ns.Labels)
            : pod.Namespace == policy.Namespace;
        return inNamespace && peer.PodSelector.Matches(pod.Labels);
    }

    /// <summary>Everything about a pod that a peer rule reads, except its labels.</summary>
    private static bool SamePeerFacts(PodInfo old, PodInfo now) =>
        old.Phase == now.Phase && old.HostNetwork == now.HostNetwork && old.Ports.SequenceEqual(now.Ports)
        && old.Interfaces.Length == now.Interfaces.Length
        && old.Interfaces.Zip(now.Interfaces).All(p => p.First.Network == p.Second.Network && p.First.Interface == p.Second.Interface
            && p.First.Addresses.SequenceEqual(p.Second.Addresses));

    private static IEnumerable<PodPeer> PodPeers(PolicyInfo policy) =>
        policy.Spec is null ? [] : policy.Spec.Ingress.Concat(policy.Spec.Egress).SelectMany(r => r.Peers).OfType<PodPeer>();

    /// <summary>The local pods a policy selects (all of its namespace when its spec is not understood: it isolates them).</summary>
    private void AddTargets(PolicyInfo policy, HashSet<string> affected)
    {
        foreach (var pod in _local.Values)
        {
            if (pod.Namespace == policy.Namespace && (policy.Spec is null || policy.Spec.PodSelector.Matches(pod.Labels)))
            {
                affected.Add(pod.Key);
            }
        }
    }
}
