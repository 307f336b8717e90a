using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Evaluation;

/// <summary>
/// Walks a <see cref="NetfilterTable"/> for one packet with netfilter's semantics: start at INPUT (packet has an
/// in-interface) or OUTPUT (out-interface); rules in order; a jump enters the chain and RETURN or the end of a
/// user chain comes back; ACCEPT and DROP are final; the end of a built-in chain is its policy, ACCEPT (the
/// table holds only our rules, and we never change chain policies).
/// </summary>
public static class TableClassifier
{
    /// <summary>The kernel refuses deeper jump nesting; a deeper walk means a loop in the model.</summary>
    private const int MaxDepth = 64;

    public static ClassifierResult Classify(NetfilterTable table, NetfilterPacket packet)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(packet);
        if ((packet.InInterface is null) == (packet.OutInterface is null))
        {
            throw new ArgumentException("a packet needs exactly one of in-interface (INPUT) or out-interface (OUTPUT)", nameof(packet));
        }

        if (packet.Family != table.Family)
        {
            throw new ArgumentException($"packet family {packet.Family} does not match table family {table.Family}", nameof(packet));
        }

        var chains = table.Chains.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var start = packet.InInterface is not null ? "INPUT" : "OUTPUT";
        var path = ImmutableArray.CreateBuilder<ClassifierStep>();
        var verdict = Walk(chains, start, packet, path, 0) ?? true;
        if (path.Count == 0 || path[^1].Target is not ("ACCEPT" or "DROP"))
        {
            path.Add(new ClassifierStep(start, -1, "ACCEPT", "chain policy"));
        }

        return new ClassifierResult(verdict, path.ToImmutable());
    }

    /// <summary>Returns true (ACCEPT), false (DROP) or null (fell off or RETURNed from the chain).</summary>
    private static bool? Walk(Dictionary<string, NetfilterChain> chains, string name, NetfilterPacket packet, ImmutableArray<ClassifierStep>.Builder path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"chain {name}: jumps nest deeper than {MaxDepth} (a loop?)");
        }

        if (!chains.TryGetValue(name, out var chain))
        {
            // A built-in chain we hold no rules in is just its policy; a missing user chain is a broken table.
            return ChainNames.IsBuiltin(name) ? null : throw new InvalidOperationException($"jump to chain {name}, which the table does not define");
        }

        for (var i = 0; i < chain.Rules.Length; i++)
        {
            var rule = chain.Rules[i];
            if (!Matches(rule, packet))
            {
                continue;
            }

            path.Add(new ClassifierStep(name, i, rule.Target.Name, rule.Comment));
            switch (rule.Target.Kind)
            {
                case RuleTargetKind.Accept:
                    return true;
                case RuleTargetKind.Drop:
                    return false;
                case RuleTargetKind.Return:
                    return null;
                default:
                    if (Walk(chains, rule.Target.Chain!, packet, path, depth + 1) is { } final)
                    {
                        return final;
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Every match of the rule, as the kernel evaluates them (all must hold).</summary>
    public static bool Matches(NetfilterRule rule, NetfilterPacket packet)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(packet);
        return (rule.Source is not { } source || source.Contains(packet.Source))
            && (rule.Destination is not { } destination || destination.Contains(packet.Destination))
            && InterfaceMatches(rule.InInterface, packet.InInterface)
            && InterfaceMatches(rule.OutInterface, packet.OutInterface)
            && (rule.Protocol is not { } protocol || protocol == packet.Protocol)
            && (rule.CtState == ConntrackStates.None || (rule.CtState & packet.State) != 0)
            && IcmpMatches(rule.Icmp, packet)
            && PortsMatch(rule, packet);
    }

    /// <summary>Exact name only: our encoder's mask covers the NUL, so a trailing <c>+</c> is part of the name, not a wildcard.</summary>
    private static bool InterfaceMatches(string? wanted, string? actual) =>
        wanted is null || (actual is not null && string.Equals(actual, wanted, StringComparison.Ordinal));

    private static bool IcmpMatches(IcmpTypeMatch? icmp, NetfilterPacket packet)
    {
        if (icmp is null)
        {
            return true;
        }

        return packet.Protocol is NetfilterProtocol.Icmp or NetfilterProtocol.IcmpV6
            && packet.IcmpType == icmp.Type
            && packet.IcmpCode is { } code && code >= icmp.CodeMin && code <= icmp.CodeMax;
    }

    private static bool PortsMatch(NetfilterRule rule, NetfilterPacket packet)
    {
        if (rule.DestinationPorts.IsDefaultOrEmpty)
        {
            return true;
        }

        if (packet.DestinationPort is not { } port || packet.Protocol is not (NetfilterProtocol.Tcp or NetfilterProtocol.Udp or NetfilterProtocol.Sctp))
        {
            return false;
        }

        foreach (var (from, to) in rule.DestinationPorts)
        {
            if (port >= from && port <= to)
            {
                return true;
            }
        }

        return false;
    }
}
