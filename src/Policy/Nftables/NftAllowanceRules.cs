using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Nftables;

/// <summary>
/// The allowance rules of one direction chain: fewer kernel objects per allowance, because a commit costs the kernel
/// mostly per rule. Allowances with the same ports (per protocol, or every port) are one <see cref="NftPortGroup"/>:
/// one rule per family over the union of their peers. Every exact (address, protocol, port) allowance (a group of one
/// port and single addresses, an egress run whose named ports resolve per destination) goes into one concatenated set
/// per family instead, when there are two or more of them: one rule, one element per tuple. Comments name every policy rule a rule holds. Groups keep
/// their first appearance's order, the tuple lookup stands where the first exact one would; sets are named
/// <c>CHAIN-N</c> after that position.
/// </summary>
internal static class NftAllowanceRules
{
    private static readonly Protocol[] PortProtocols = [Protocol.Tcp, Protocol.Udp, Protocol.Sctp];

    public static void Add(string chain, Direction direction, ImmutableArray<Allowance> allowances, ImmutableArray<NftRule>.Builder entries, NftSetPool sets)
    {
        var slots = new List<NftAllowanceSlot>();
        var groups = new Dictionary<string, NftPortGroup>(StringComparer.Ordinal);
        for (var k = 0; k < allowances.Length; k++)
        {
            var run = direction == Direction.Egress ? PerDestinationRun(allowances, k) : 1;
            if (run > 1)
            {
                slots.Add(new NftAllowanceSlot($"{chain}-{slots.Count}", null, k, run));
                k += run - 1;
                continue;
            }

            Collect(chain, allowances[k], slots, groups);
        }

        // The exact (address, protocol, port) allowances of the chain (runs, exact groups) go into one concatenated set
        // per family, looked up where the first of them stands; a lone exact group keeps its own plain rule.
        var exact = slots.Where(s => s.Group is null or { IsExact: true }).ToList();
        if (exact is [{ Group: not null }])
        {
            exact.Clear();
        }

        List<NftConcatKey> v4 = [];
        List<NftConcatKey> v6 = [];
        List<RuleOrigin> v4Origins = [];
        List<RuleOrigin> v6Origins = [];
        foreach (var slot in exact)
        {
            if (slot.Group is { } group)
            {
                group.AddTuples(v4, v6);
                v4Origins.AddRange(group.OriginsOf(IpFamily.V4));
                v6Origins.AddRange(group.OriginsOf(IpFamily.V6));
            }
            else
            {
                var (v4Before, v6Before) = (v4.Count, v6.Count);
                RunTuples(allowances.AsSpan(slot.Start, slot.Length), v4, v6);
                NftPortGroup.AddOrigin(v4Origins, allowances[slot.Start].Origin, v4.Count > v4Before);
                NftPortGroup.AddOrigin(v6Origins, allowances[slot.Start].Origin, v6.Count > v6Before);
            }
        }

        // Every exact group is in the tuples when any is (a lone one was cleared above).
        var tuplesAt = exact.Count > 0 ? exact[0].Prefix : null;
        foreach (var slot in slots)
        {
            if (slot.Prefix == tuplesAt)
            {
                WriteTuples(slot.Prefix, direction, (v4, v4Origins), (v6, v6Origins), entries, sets);
            }
            else if (slot.Group is { } group && (tuplesAt is null || !group.IsExact))
            {
                group.WriteRules(direction, entries, sets);
            }
        }
    }

    /// <summary>Adds the allowance to the group of each of its port conditions (a new group takes the next slot).</summary>
    private static void Collect(string chain, Allowance allowance, List<NftAllowanceSlot> slots, Dictionary<string, NftPortGroup> groups)
    {
        var conditions = PortConditions(allowance);
        if (conditions.Count == 0)
        {
            return; // a non-any empty port list matches nothing
        }

        List<NftInterval> v4 = [];
        List<NftInterval> v6 = [];
        if (!allowance.AnyPeer)
        {
            NftPortGroup.PeerRanges(allowance, v4, v6);
            if (v4.Count == 0 && v6.Count == 0)
            {
                return; // no peer, or every address excepted
            }
        }

        foreach (var condition in conditions)
        {
            var key = condition?.Key ?? "any";
            if (!groups.TryGetValue(key, out var group))
            {
                group = new NftPortGroup($"{chain}-{slots.Count}", condition);
                groups.Add(key, group);
                slots.Add(new NftAllowanceSlot(group.Prefix, group, 0, 0));
            }

            group.Add(allowance, v4, v6);
        }
    }

    /// <summary>
    /// How many allowances from <paramref name="start"/> are one rule's ports resolved per destination pod (egress named
    /// ports: the compiler gives each group of destinations whose names resolve alike its own allowance, in a row, with
    /// the rule's origin): same origin, pod addresses only, single ports only. Two or more become one concatenated
    /// lookup, where the address and its port are matched together.
    /// </summary>
    private static int PerDestinationRun(ImmutableArray<Allowance> allowances, int start)
    {
        var run = 0;
        while (start + run < allowances.Length && IsPerDestination(allowances[start + run]) && allowances[start + run].Origin == allowances[start].Origin)
        {
            run++;
        }

        return run;
    }

    private static bool IsPerDestination(Allowance allowance) =>
        !allowance.AnyPeer && !allowance.AnyPort && !allowance.Peers.IsEmpty && !allowance.Ports.IsEmpty
        && allowance.Peers.All(p => p.Except.IsEmpty && p.Cidr.PrefixLength == (p.Cidr.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
        && allowance.Ports.All(p => p.From == p.To && p.From > 0 && Array.IndexOf(PortProtocols, p.Protocol) >= 0);

    /// <summary>A run's tuples: every allowance's addresses times its ports, per family.</summary>
    private static void RunTuples(ReadOnlySpan<Allowance> allowances, List<NftConcatKey> v4, List<NftConcatKey> v6)
    {
        foreach (var allowance in allowances)
        {
            foreach (var peer in allowance.Peers)
            {
                var address = NftIntervals.ToKey(peer.Cidr.BaseAddress);
                var into = peer.Cidr.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? v4 : v6;
                into.AddRange(allowance.Ports.Select(port => new NftConcatKey(address, (byte)port.Protocol, (ushort)port.From)));
            }
        }
    }

    /// <summary>Per family, one rule looking up (peer address, protocol, port) in the set of the chain's tuples, named after the rules that gave it tuples.</summary>
    private static void WriteTuples(string prefix, Direction direction, (List<NftConcatKey>, List<RuleOrigin>) v4, (List<NftConcatKey>, List<RuleOrigin>) v6, ImmutableArray<NftRule>.Builder entries, NftSetPool sets)
    {
        foreach (var (family, (tuples, origins)) in new[] { (IpFamily.V4, v4), (IpFamily.V6, v6) })
        {
            if (tuples.Count == 0)
            {
                continue;
            }

            var isV6 = family == IpFamily.V6;
            var type = isV6 ? NftSetKeyType.Ipv6ProtoService : NftSetKeyType.Ipv4ProtoService;
            var name = sets.ShareTuples($"{prefix}-{(isV6 ? "v6" : "v4")}", type, NftSet.SortTuples(tuples, isV6));
            var lookup = direction == Direction.Ingress ? NftMatch.SourceTupleInSet(family, name) : NftMatch.DestinationTupleInSet(family, name);
            entries.Add(new NftRule([lookup], NftVerdict.Accept, NftRenderer.Comment(origins)));
        }
    }

    /// <summary>Per protocol: every port (no ranges), or the merged ranges. A null entry is "any port".</summary>
    private static List<NftPortCondition?> PortConditions(Allowance allowance)
    {
        if (allowance.AnyPort)
        {
            return [null];
        }

        var result = new List<NftPortCondition?>();
        foreach (var protocol in PortProtocols)
        {
            var ranges = new List<NftInterval>();
            var all = false;
            foreach (var range in allowance.Ports)
            {
                if (range.Protocol != protocol)
                {
                    continue;
                }

                // As the iptables layout: 1-65535 (or 0-65535) is "every port".
                all |= range.From <= 1 && range.To >= PortRange.MaxPort;
                ranges.Add(new NftInterval((uint)range.From, (uint)range.To));
            }

            if (all)
            {
                result.Add(new NftPortCondition((int)protocol, []));
            }
            else if (ranges.Count > 0)
            {
                result.Add(new NftPortCondition((int)protocol, NftIntervals.Normalize(ranges)));
            }
        }

        return result;
    }

    /// <summary><c>meta l4proto</c> for every port, one port, one range, or a (shared) named port set; null for any port.</summary>
    public static NftMatch? PortMatch(string prefix, NftPortCondition? condition, NftSetPool sets)
    {
        if (condition is not { } value)
        {
            return null;
        }

        var (protocol, ranges) = value;
        if (ranges.IsEmpty)
        {
            return NftMatch.L4Proto(protocol);
        }

        if (ranges.Length == 1)
        {
            var only = ranges[0];
            return only.First == only.Last
                ? NftMatch.DestinationPort(protocol, (int)only.First)
                : NftMatch.DestinationPortRange(protocol, (int)only.First, (int)only.Last);
        }

        return NftMatch.DestinationPortInSet(protocol, sets.Share($"{prefix}-{NftRenderer.ProtocolName(protocol)}", NftSetKeyType.InetService, ranges));
    }
}
