using Mnp.Policy.Evaluation;
using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Nftables;

/// <summary>
/// Walks our nftables model for one packet with nf_tables semantics: the base chain of the packet's hook (input
/// for an in-interface, output for an out-interface), rules in order, a jump enters the chain and its end comes
/// back, accept and drop are final, the end of a base chain is its policy (accept). No table of ours accepts.
/// </summary>
public static class NftClassifier
{
    private const int MaxDepth = 16;

    public static bool Accepts(NftTable? table, NetfilterPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if ((packet.InInterface is null) == (packet.OutInterface is null))
        {
            throw new ArgumentException("a packet needs exactly one of in-interface (input) or out-interface (output)", nameof(packet));
        }

        if (table is null)
        {
            return true;
        }

        var hook = packet.InInterface is not null ? NftHook.Input : NftHook.Output;
        var chains = table.Chains.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var sets = table.Sets.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var chain in table.Chains)
        {
            if (chain.Hook == hook && Walk(chain, chains, sets, packet, 0) is false)
            {
                return false; // a drop in any base chain of the hook is final
            }
        }

        return true;
    }

    private static bool? Walk(NftChain chain, Dictionary<string, NftChain> chains, Dictionary<string, NftSet> sets, NetfilterPacket packet, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"chain {chain.Name}: jumps nest deeper than {MaxDepth}");
        }

        foreach (var rule in chain.Rules)
        {
            if (!rule.Matches.All(m => Matches(m, sets, packet)))
            {
                continue;
            }

            switch (rule.Verdict.Kind)
            {
                case NftVerdictKind.Accept:
                    return true;
                case NftVerdictKind.Drop:
                    return false;
                default:
                    var target = chains.TryGetValue(rule.Verdict.Chain!, out var next)
                        ? next
                        : throw new InvalidOperationException($"jump to chain {rule.Verdict.Chain}, which the table does not define");
                    if (Walk(target, chains, sets, packet, depth + 1) is { } final)
                    {
                        return final;
                    }

                    break;
            }
        }

        return null;
    }

    private static bool Matches(NftMatch match, Dictionary<string, NftSet> sets, NetfilterPacket packet) => match.Kind switch
    {
        NftMatchKind.InInterface => packet.InInterface == match.Name,
        NftMatchKind.OutInterface => packet.OutInterface == match.Name,
        NftMatchKind.CtEstablishedRelated => (packet.State & (ConntrackStates.Established | ConntrackStates.Related)) != 0,
        NftMatchKind.SourceIs => packet.Source.Equals(match.Address),
        NftMatchKind.DestinationIs => packet.Destination.Equals(match.Address),
        NftMatchKind.SourceInSet => packet.Family == match.Family && InSet(sets, match.Name!, NftIntervals.ToKey(packet.Source)),
        NftMatchKind.DestinationInSet => packet.Family == match.Family && InSet(sets, match.Name!, NftIntervals.ToKey(packet.Destination)),
        NftMatchKind.IpProtocol => packet.Family == IpFamily.V4 && (int)packet.Protocol == match.Protocol,
        NftMatchKind.L4Proto => (int)packet.Protocol == match.Protocol,
        NftMatchKind.DestinationPort or NftMatchKind.DestinationPortRange =>
            (int)packet.Protocol == match.Protocol && packet.DestinationPort is { } port && port >= match.From && port <= match.To,
        NftMatchKind.DestinationPortInSet =>
            (int)packet.Protocol == match.Protocol && packet.DestinationPort is { } port && InSet(sets, match.Name!, (uint)port),
        NftMatchKind.IcmpTypeRange => packet.Family == IpFamily.V4 && packet.Protocol == NetfilterProtocol.Icmp && packet.IcmpType is { } icmp && icmp >= match.From && icmp <= match.To && CodeMatches(match, packet),
        NftMatchKind.DestinationTupleInSet => packet.Family == match.Family && packet.DestinationPort is { } port && Set(sets, match.Name!)
            .Contains(new NftConcatKey(NftIntervals.ToKey(packet.Destination), (byte)packet.Protocol, (ushort)port)),
        NftMatchKind.SourceTupleInSet => packet.Family == match.Family && packet.DestinationPort is { } port && Set(sets, match.Name!)
            .Contains(new NftConcatKey(NftIntervals.ToKey(packet.Source), (byte)packet.Protocol, (ushort)port)),
        _ => packet.Family == IpFamily.V6 && packet.Protocol == NetfilterProtocol.IcmpV6 && packet.IcmpType is { } type && type >= match.From && type <= match.To && CodeMatches(match, packet),
    };

    private static bool CodeMatches(NftMatch match, NetfilterPacket packet) =>
        match.Codes is not { } codes || (packet.IcmpCode is { } code && code >= codes.From && code <= codes.To);

    private static bool InSet(Dictionary<string, NftSet> sets, string name, UInt128 key) => Set(sets, name).Contains(key);

    private static NftSet Set(Dictionary<string, NftSet> sets, string name) =>
        sets.TryGetValue(name, out var set) ? set : throw new InvalidOperationException($"lookup in set {name}, which the table does not define");
}
