using System.Globalization;
using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Nftables;

/// <summary>
/// Renders one pod's compiled rules into our <c>inet mnp</c> table. Layout: base chains <c>input</c>/<c>output</c>
/// (policy accept) accept replies first, then jump per governed interface (exact name) to <c>ingress-IF</c> /
/// <c>egress-IF</c>; those accept IPv6 neighbour discovery and the optional ICMP, then one rule per allowance,
/// family and protocol, and end in an explicit drop. One peer address is a plain compare, more are a named interval
/// set (<c>cidr − except</c> exactly), several ports a named port set; sets with the same content are shared. Base chains never have policy drop: a base chain re-created in a batch runs
/// with policy accept until its own commit step, so a drop policy would leak; the drop rule cannot.
/// </summary>
public static class NftRenderer
{
    public const int MaxCommentLength = 128;
    private const int NeighborDiscoveryFirst = 133;
    private const int NeighborDiscoveryLast = 137;

    private static readonly Protocol[] PortProtocols = [Protocol.Tcp, Protocol.Udp, Protocol.Sctp];

    /// <summary>The table for <paramref name="pod"/>, or null when no interface is governed (nothing of ours belongs there).</summary>
    public static NftTable? Render(PodRules pod, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        var sets = new NftSetPool();
        var input = ImmutableArray.CreateBuilder<NftRule>();
        var output = ImmutableArray.CreateBuilder<NftRule>();
        var chains = new List<NftChain>();
        var index = -1;
        foreach (var iface in pod.Interfaces.OrderBy(i => i.Interface, StringComparer.Ordinal))
        {
            index++;
            if (iface.Ingress.Isolated)
            {
                var name = ChainName("ingress", iface.Interface, index);
                input.Add(new NftRule([NftMatch.InInterface(iface.Interface)], NftVerdict.JumpTo(name)));
                chains.Add(DirectionChain(name, Direction.Ingress, iface.Ingress, options, sets));
            }

            if (iface.Egress.Isolated)
            {
                var name = ChainName("egress", iface.Interface, index);
                output.Add(new NftRule([NftMatch.OutInterface(iface.Interface)], NftVerdict.JumpTo(name)));
                chains.Add(DirectionChain(name, Direction.Egress, iface.Egress, options, sets));
            }
        }

        if (chains.Count == 0)
        {
            return null;
        }

        var all = ImmutableArray.CreateBuilder<NftChain>(chains.Count + 2);
        var replies = new NftRule([NftMatch.CtEstablishedRelated], NftVerdict.Accept);
        if (input.Count > 0)
        {
            input.Insert(0, replies);
            all.Add(new NftChain("input", NftHook.Input, input.ToImmutable()));
        }

        if (output.Count > 0)
        {
            output.Insert(0, replies);
            all.Add(new NftChain("output", NftHook.Output, output.ToImmutable()));
        }

        all.AddRange(chains);
        return new NftTable(NftTable.OwnedName, NftTable.OwnedMarker, sets.Sets.ToImmutable(), all.ToImmutable());
    }

    /// <summary>The rule comment: the allowance's origin, cut to nft's 128 characters.</summary>
    public static string Comment(RuleOrigin origin)
    {
        // What we commit is what nft list prints, so the comment is made safe for nft's quoting here, once.
        var text = NftText.CommentText(origin.ToString());
        if (text.Length <= MaxCommentLength)
        {
            return text;
        }

        var length = MaxCommentLength;
        if (char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }

    /// <summary>
    /// <c>PREFIX-IF</c> when the interface name is a plain nft identifier part, else <c>PREFIX_N</c> with N the
    /// interface's position among the pod's interfaces (sorted by name). Injective by construction: a plain name has
    /// '-' after the prefix and a fallback '_', and positions are distinct (a hash could collide).
    /// </summary>
    public static string ChainName(string prefix, string interfaceName, int interfaceIndex)
    {
        ArgumentNullException.ThrowIfNull(interfaceName);
        foreach (var c in interfaceName)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{prefix}_{interfaceIndex}");
            }
        }

        return $"{prefix}-{interfaceName}";
    }

    private static NftChain DirectionChain(string chain, Direction direction, DirectionRules rules, PolicyOptions options, NftSetPool sets)
    {
        var entries = ImmutableArray.CreateBuilder<NftRule>();
        var custom = options.CustomRules.For(direction);
        if (options.AcceptIcmp)
        {
            entries.Add(new NftRule([NftMatch.IpProtocol((int)NetfilterProtocol.Icmp)], NftVerdict.Accept));
        }
        else
        {
            foreach (var message in custom.IcmpMessages.IsDefault ? [] : custom.IcmpMessages)
            {
                var match = message.Code is { } code ? NftMatch.IcmpTypeAndCode(message.Type, code) : NftMatch.IcmpTypeRange(message.Type, message.Type);
                entries.Add(new NftRule([match], NftVerdict.Accept));
            }
        }

        if (options.AcceptIcmpV6)
        {
            entries.Add(new NftRule([NftMatch.L4Proto((int)NetfilterProtocol.IcmpV6)], NftVerdict.Accept));
        }
        else
        {
            if (options.NeighborDiscoveryAccepted)
            {
                entries.Add(new NftRule([NftMatch.Icmpv6TypeRange(NeighborDiscoveryFirst, NeighborDiscoveryLast)], NftVerdict.Accept));
            }

            // The custom-rules file's ICMPv6 messages (those neighbour discovery already accepts, every code, are not repeated).
            foreach (var message in custom.Icmpv6Messages.IsDefault ? [] : custom.Icmpv6Messages)
            {
                if (!options.NeighborDiscoveryAccepted || message.Type is < NeighborDiscoveryFirst or > NeighborDiscoveryLast)
                {
                    var match = message.Code is { } code ? NftMatch.Icmpv6TypeAndCode(message.Type, code) : NftMatch.Icmpv6TypeRange(message.Type, message.Type);
                    entries.Add(new NftRule([match], NftVerdict.Accept));
                }
            }
        }

        for (var k = 0; k < rules.Allowances.Length; k++)
        {
            var run = direction == Direction.Egress ? PerDestinationRun(rules.Allowances, k) : 1;
            if (run > 1)
            {
                AddTuples($"{chain}-{k}", rules.Allowances.AsSpan(k, run), entries, sets);
                k += run - 1;
                continue;
            }

            AddAllowance($"{chain}-{k}", direction, rules.Allowances[k], entries, sets);
        }

        var deny = direction == Direction.Ingress ? "mnp: ingress default deny" : "mnp: egress default deny";
        entries.Add(new NftRule([], NftVerdict.Drop, deny));
        return new NftChain(chain, null, entries.ToImmutable());
    }

    private static void AddAllowance(string prefix, Direction direction, Allowance allowance, ImmutableArray<NftRule>.Builder entries, NftSetPool sets)
    {
        var ports = PortConditions(allowance);
        if (ports.Count == 0)
        {
            return; // a non-any empty port list matches nothing
        }

        var peers = new List<NftMatch?>();
        if (allowance.AnyPeer)
        {
            peers.Add(null);
        }
        else
        {
            AddPeers(prefix, direction, allowance.Peers, IpFamily.V4, peers, sets);
            AddPeers(prefix, direction, allowance.Peers, IpFamily.V6, peers, sets);
        }

        if (peers.Count == 0)
        {
            return;
        }

        var portMatches = ports.Select(p => PortMatch(prefix, p, sets)).ToList();
        var comment = Comment(allowance.Origin);
        foreach (var peer in peers)
        {
            foreach (var port in portMatches)
            {
                var matches = ImmutableArray.CreateBuilder<NftMatch>(2);
                if (peer is not null)
                {
                    matches.Add(peer);
                }

                if (port is not null)
                {
                    matches.Add(port);
                }

                entries.Add(new NftRule(matches.ToImmutable(), NftVerdict.Accept, comment));
            }
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

    /// <summary>Per family, one rule looking up (destination address, protocol, port) in a set of every allowance's addresses times its ports.</summary>
    private static void AddTuples(string prefix, ReadOnlySpan<Allowance> allowances, ImmutableArray<NftRule>.Builder entries, NftSetPool sets)
    {
        var comment = Comment(allowances[0].Origin);
        foreach (var family in new[] { IpFamily.V4, IpFamily.V6 })
        {
            var addressFamily = family == IpFamily.V4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
            var tuples = new List<NftConcatKey>();
            foreach (var allowance in allowances)
            {
                foreach (var peer in allowance.Peers.Where(p => p.Cidr.BaseAddress.AddressFamily == addressFamily))
                {
                    var address = NftIntervals.ToKey(peer.Cidr.BaseAddress);
                    tuples.AddRange(allowance.Ports.Select(port => new NftConcatKey(address, (byte)port.Protocol, (ushort)port.From)));
                }
            }

            if (tuples.Count == 0)
            {
                continue;
            }

            var v6 = family == IpFamily.V6;
            var type = v6 ? NftSetKeyType.Ipv6ProtoService : NftSetKeyType.Ipv4ProtoService;
            var name = sets.ShareTuples($"{prefix}-{(v6 ? "v6" : "v4")}", type, NftSet.SortTuples(tuples, v6));
            entries.Add(new NftRule([NftMatch.DestinationTupleInSet(family, name)], NftVerdict.Accept, comment));
        }
    }

    /// <summary>The peers of one family: one address is a plain compare, anything else a (shared) interval set.</summary>
    private static void AddPeers(string prefix, Direction direction, ImmutableArray<PeerMatch> peers, IpFamily family, List<NftMatch?> into, NftSetPool sets)
    {
        var addressFamily = family == IpFamily.V4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        var ranges = new List<NftInterval>();
        foreach (var peer in peers)
        {
            if (peer.Cidr.BaseAddress.AddressFamily == addressFamily)
            {
                NftIntervals.AddPeer(peer, ranges);
            }
        }

        if (ranges.Count == 0)
        {
            return; // no peer of this family, or every address excepted
        }

        var merged = NftIntervals.Normalize(ranges);
        if (merged.Length == 1 && merged[0].First == merged[0].Last)
        {
            var address = NftIntervals.ToAddress(merged[0].First, family == IpFamily.V6);
            into.Add(direction == Direction.Ingress ? NftMatch.SourceIs(address) : NftMatch.DestinationIs(address));
            return;
        }

        var type = family == IpFamily.V4 ? NftSetKeyType.Ipv4Address : NftSetKeyType.Ipv6Address;
        var name = sets.Share($"{prefix}-{(family == IpFamily.V4 ? "v4" : "v6")}", type, merged);
        into.Add(direction == Direction.Ingress ? NftMatch.SourceInSet(family, name) : NftMatch.DestinationInSet(family, name));
    }

    /// <summary>Per protocol: every port (an empty list), or the merged ranges. A null entry is "any port".</summary>
    private static List<(int Protocol, ImmutableArray<NftInterval> Ranges)?> PortConditions(Allowance allowance)
    {
        if (allowance.AnyPort)
        {
            return [null];
        }

        var result = new List<(int, ImmutableArray<NftInterval>)?>();
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
                result.Add(((int)protocol, []));
            }
            else if (ranges.Count > 0)
            {
                result.Add(((int)protocol, NftIntervals.Normalize(ranges)));
            }
        }

        return result;
    }

    /// <summary><c>meta l4proto</c> for every port, one port, one range, or a (shared) named port set.</summary>
    private static NftMatch? PortMatch(string prefix, (int Protocol, ImmutableArray<NftInterval> Ranges)? condition, NftSetPool sets)
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

        return NftMatch.DestinationPortInSet(protocol, sets.Share($"{prefix}-{ProtocolName(protocol)}", NftSetKeyType.InetService, ranges));
    }

    internal static string ProtocolName(int protocol) => protocol switch
    {
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        58 => "ipv6-icmp",
        132 => "sctp",
        _ => protocol.ToString(CultureInfo.InvariantCulture),
    };
}
