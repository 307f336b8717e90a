using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Compiler;

/// <summary>
/// One pod's change as seen from one network's peers: its peer addresses there before and after (default: not a peer
/// there) and its labels and ports. Decides which cached rule resolutions over the network it can change, so that a
/// label change re-resolves only the rules whose verdict on the pod flips, not every rule over the network.
/// <paramref name="labels"/> is what differs between the old and new labels (shared by the change's networks).
/// </summary>
internal sealed class PodChange(
    CompilerIndex index, PodInfo? old, ImmutableArray<IPAddress> oldAddresses, PodInfo? now, ImmutableArray<IPAddress> newAddresses, Lazy<ChangedLabels> labels)
{
    /// <summary>The pod is a peer there before and after with the same addresses and ports: only its labels may differ.</summary>
    private readonly bool _labelsOnly = old is not null && now is not null && !oldAddresses.IsDefault && !newAddresses.IsDefault
        && oldAddresses.SequenceEqual(newAddresses) && old.Ports.SequenceEqual(now.Ports);

    /// <summary>The pod after the change (before it, for a removal).</summary>
    public PodInfo Pod => (now ?? old)!;

    /// <summary>
    /// When only labels changed: whether the rule's pod peers select the pod before and after (the namespace is the
    /// same, so only pod selectors can differ); null when more than labels changed.
    /// </summary>
    public (bool Before, bool After)? Selection(PolicyInfo policy, PolicyRule rule)
    {
        if (!_labelsOnly)
        {
            return null;
        }

        var (before, after) = (false, false);
        foreach (var peer in rule.Peers)
        {
            if (peer is PodPeer pods && InNamespace(policy, pods, now!))
            {
                before |= pods.PodSelector.Matches(old!.Labels);
                after |= pods.PodSelector.Matches(now!.Labels);
            }
        }

        return (before, after);
    }

    /// <summary>
    /// Whether what the rule resolves to over the network (its peers' matches, the pods they select, and for egress
    /// the named ports of the destinations) can differ after the change: a selector peer whose verdict on the pod
    /// flips (or, when more than labels changed, that matches it before or after), or, when more than labels changed,
    /// an egress named port resolved over addresses (any peer, or an ipBlock's covered pods).
    /// </summary>
    public bool Affects(PolicyInfo policy, Direction direction, PolicyRule rule)
    {
        var namedOverAddresses = direction == Direction.Egress && PeerResolver.HasNamedPort(rule);
        if (rule.AnyPeer)
        {
            return namedOverAddresses && !_labelsOnly;
        }

        foreach (var peer in rule.Peers)
        {
            switch (peer)
            {
                case IpBlockPeer when namedOverAddresses && !_labelsOnly:
                    return true;
                case PodPeer pods when _labelsOnly:
                    // Same namespace before and after: only the pod selector can flip, and only if it reads a changed label.
                    var selector = pods.PodSelector;
                    if (labels.Value.CanFlip(selector)
                        && selector.Matches(old!.Labels) != selector.Matches(now!.Labels) && InNamespace(policy, pods, now!))
                    {
                        return true;
                    }

                    break;
                case PodPeer pods:
                    var before = !oldAddresses.IsDefault && Matches(policy, pods, old!);
                    var after = !newAddresses.IsDefault && Matches(policy, pods, now!);
                    if (before || after)
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>As the resolver selects: the policy's namespace, or a namespace the index knows whose labels match.</summary>
    private bool Matches(PolicyInfo policy, PodPeer peer, PodInfo pod) => InNamespace(policy, peer, pod) && peer.PodSelector.Matches(pod.Labels);

    private bool InNamespace(PolicyInfo policy, PodPeer peer, PodInfo pod) => peer.NamespaceSelector is { } selector
        ? index.TryGetNamespace(pod.Namespace, out var ns) && selector.Matches(ns!.Labels)
        : pod.Namespace == policy.Namespace;
}
