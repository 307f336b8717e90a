using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Evaluation;

/// <summary>
/// One direction of a resolved connection decided from the policies' own spec: isolated or not, and which rule of
/// which policy (peer, port) lets the connection through.
/// </summary>
internal sealed class DirectionDecider(EvaluatorIndex index)
{
    public DirectionTrace Decide(Direction direction, PodInfo? local, ResolvedEnd remote, EvaluatedConnection connection, bool managed)
    {
        var side = direction == Direction.Egress ? "source" : "destination";
        if (local is null)
        {
            return Open($"the {side} is not a pod: never isolated");
        }

        if (!local.IsPolicyEndpoint)
        {
            return Open($"{local.Key} is not a policy target (not Running, or hostNetwork)");
        }

        if (!managed)
        {
            return Open($"network {connection.Network} is not managed (NAD missing or its CNI type is not in the plugin list)");
        }

        var selecting = SelectingPolicies(local, direction, connection.Network);
        if (selecting.Count == 0)
        {
            return Open($"no policy for {connection.Network} selects {local.Key} for {Name(direction)}");
        }

        var matches = ImmutableArray.CreateBuilder<RuleMatch>();
        foreach (var policy in selecting)
        {
            var rules = policy.Spec is null ? [] : direction == Direction.Ingress ? policy.Spec.Ingress : policy.Spec.Egress;
            foreach (var rule in rules)
            {
                if (MatchRule(policy, rule, remote, connection) is { } match)
                {
                    matches.Add(match);
                }
            }
        }

        var names = selecting.Select(p => p.Key).ToImmutableArray();
        var allowed = matches.Count > 0;
        var reason = allowed
            ? $"isolated by {string.Join(", ", names)}; allowed by {string.Join(", ", matches.Select(m => $"{m.Policy} rule {m.Rule}"))}"
            : $"isolated by {string.Join(", ", names)}; no rule matches";
        return new DirectionTrace(allowed, true, names, matches.ToImmutable(), reason);
    }

    private static DirectionTrace Open(string reason) => new(true, false, [], [], reason);

    private static string Name(Direction direction) => direction == Direction.Ingress ? "ingress" : "egress";

    /// <summary>Policies of the pod's namespace, for this network, that select the pod in this direction; an unparsable policy selects every pod of its namespace in both.</summary>
    private List<PolicyInfo> SelectingPolicies(PodInfo pod, Direction direction, NetworkRef network)
    {
        var selecting = new List<PolicyInfo>();
        if (!index.PoliciesByNamespace.TryGetValue(pod.Namespace, out var policies))
        {
            return selecting;
        }

        foreach (var policy in policies)
        {
            if (!PolicyNetworks.AppliesTo(policy, network))
            {
                continue;
            }

            var spec = policy.Spec;
            var selects = spec is null
                || ((direction == Direction.Ingress ? spec.AffectsIngress : spec.AffectsEgress) && spec.PodSelector.Matches(pod.Labels));
            if (selects)
            {
                selecting.Add(policy);
            }
        }

        selecting.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return selecting;
    }

    private RuleMatch? MatchRule(PolicyInfo policy, PolicyRule rule, ResolvedEnd remote, EvaluatedConnection connection)
    {
        var (peerKind, peerIndex) = (PeerKind.Any, (int?)null);
        if (!rule.AnyPeer)
        {
            var found = MatchPeer(policy, rule.Peers, remote, connection.Network);
            if (found is null)
            {
                return null;
            }

            (peerKind, peerIndex) = (found.Value.Kind, found.Value.Index);
        }

        if (rule.AnyPort)
        {
            return new RuleMatch(policy.Key, rule.Index, peerKind, peerIndex, null, "any");
        }

        for (var i = 0; i < rule.Ports.Length; i++)
        {
            if (MatchPort(rule.Ports[i], connection) is { } description)
            {
                return new RuleMatch(policy.Key, rule.Index, peerKind, peerIndex, i, description);
            }
        }

        return null;
    }

    private (PeerKind Kind, int Index)? MatchPeer(PolicyInfo policy, ImmutableArray<Peer> peers, ResolvedEnd remote, NetworkRef network)
    {
        for (var i = 0; i < peers.Length; i++)
        {
            switch (peers[i])
            {
                case IpBlockPeer block when InBlock(block, remote.Address):
                    return (PeerKind.IpBlock, i);
                case PodPeer podPeer when remote.Pod is { } pod && IsSelectorPeer(policy, podPeer, pod, network):
                    var kind = podPeer.NamespaceSelector is null ? PeerKind.PodSelector
                        : podPeer.PodSelector.Requirements.IsEmpty ? PeerKind.NamespaceSelector
                        : PeerKind.NamespaceAndPodSelector;
                    return (kind, i);
                default:
                    break;
            }
        }

        return null;
    }

    private static bool InBlock(IpBlockPeer block, IPAddress address)
    {
        if (!block.Cidr.Contains(address))
        {
            return false;
        }

        foreach (var excluded in block.Except)
        {
            if (excluded.Contains(address))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A selector peer must be a policy endpoint with an interface on the policy's network (it contributes only those addresses).</summary>
    private bool IsSelectorPeer(PolicyInfo policy, PodPeer peer, PodInfo pod, NetworkRef network)
    {
        if (!pod.IsPolicyEndpoint || !pod.Interfaces.Any(i => i.Network == network))
        {
            return false;
        }

        // A namespace the snapshot does not hold has unknown labels, so no namespaceSelector matches it (fail closed,
        // as the compiler does): manifests get implicit namespaces with their name label from the snapshot builder,
        // and on a live cluster a missing namespace is one the watch has not delivered yet.
        var namespaceMatches = peer.NamespaceSelector is null
            ? pod.Namespace == policy.Namespace
            : index.NamespaceLabels.TryGetValue(pod.Namespace, out var labels) && peer.NamespaceSelector.Matches(labels);
        return namespaceMatches && peer.PodSelector.Matches(pod.Labels);
    }

    private static string? MatchPort(PortSpec spec, EvaluatedConnection connection)
    {
        if (spec.Protocol != connection.Protocol)
        {
            return null;
        }

        var protocol = connection.Protocol.ToString().ToUpperInvariant();
        if (spec.IsAllPorts)
        {
            return $"{protocol}/*";
        }

        if (spec.Port is { } first)
        {
            var last = spec.EndPort ?? first;
            return connection.Port >= first && connection.Port <= last
                ? (last == first ? $"{protocol}/{first}" : $"{protocol}/{first}-{last}")
                : null;
        }

        // A named port resolves on the destination pod only; an address destination never matches it, and
        // neither does a pod that is not a policy endpoint (not Running, hostNetwork): its address is a plain address.
        var destination = connection.To.Pod is { IsPolicyEndpoint: true } pod ? pod : null;
        var named = destination?.Ports.Any(p => p.Name == spec.Name && p.Protocol == spec.Protocol && p.Number == connection.Port) ?? false;
        return named ? $"{spec.Name} ({protocol}/{connection.Port})" : null;
    }
}
