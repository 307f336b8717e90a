using System.Globalization;
using System.Text;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Nftables;

/// <summary>
/// Renders one pod's compiled rules into our <c>inet mnp</c> table. Layout: base chains <c>input</c>/<c>output</c>
/// (policy accept) accept replies first, then jump per governed interface (exact name) to <c>ingress-IF</c> /
/// <c>egress-IF</c>; those accept IPv6 neighbour discovery and the optional ICMP, then the allowances
/// (<see cref="NftAllowanceRules"/>: those with the same ports are one rule per family over the union of their
/// peers), and end in an explicit drop. One peer address is a plain compare, more are a named interval set
/// (<c>cidr − except</c> exactly), several ports a named port set; sets with the same content are shared. Base chains
/// never have policy drop: a base chain re-created in a batch runs with policy accept until its own commit step, so a
/// drop policy would leak; the drop rule cannot.
/// </summary>
public static class NftRenderer
{
    public const int MaxCommentLength = 128;
    private const int NeighborDiscoveryFirst = 133;
    private const int NeighborDiscoveryLast = 137;

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
    public static string Comment(RuleOrigin origin) =>
        // What we commit is what nft list prints, so the comment is made safe for nft's quoting here, once.
        Cut(NftText.CommentText(origin.ToString()));

    /// <summary>
    /// The comment of a rule several allowances share: each policy and direction once, in first-appearance order,
    /// with its rule indices (<c>ns/a ingress[0-2,5], ns/b ingress[1]</c>); when that passes 128 characters, the
    /// entries that fit and how many policies are left out (<c>, +3 more</c>). One origin reads as <see cref="Comment(RuleOrigin)"/>.
    /// </summary>
    public static string Comment(IReadOnlyList<RuleOrigin> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        if (origins.Count == 1)
        {
            return Comment(origins[0]);
        }

        var parts = origins.GroupBy(o => (o.Policy, o.Direction))
            .Select(g => NftText.CommentText($"{g.Key.Policy} {(g.Key.Direction == Direction.Ingress ? "ingress" : "egress")}[{RuleIndices(g.Select(o => o.Rule))}]"))
            .ToList();
        var text = new StringBuilder(MaxCommentLength);
        for (var i = 0; i < parts.Count; i++)
        {
            var separator = i == 0 ? "" : ", ";
            var left = parts.Count - i - 1;
            var reserve = left == 0 ? 0 : MoreSuffix(left).Length;
            if (text.Length + separator.Length + parts[i].Length + reserve > MaxCommentLength)
            {
                // The previous entry reserved room for exactly this suffix; a first entry too long is cut to leave room for its own.
                return i > 0 ? text.Append(MoreSuffix(parts.Count - i)).ToString()
                    : left == 0 ? Cut(parts[0]) : Cut(parts[0], MaxCommentLength - reserve) + MoreSuffix(left);
            }

            text.Append(separator).Append(parts[i]);
        }

        return text.ToString();
    }

    private static string MoreSuffix(int left) => string.Create(CultureInfo.InvariantCulture, $", +{left} more");

    /// <summary>Sorted distinct indices, consecutive ones as a range: <c>0-2,5</c>.</summary>
    private static string RuleIndices(IEnumerable<int> rules)
    {
        var sorted = rules.Distinct().Order().ToList();
        var text = new StringBuilder();
        for (var i = 0; i < sorted.Count; i++)
        {
            var first = sorted[i];
            while (i + 1 < sorted.Count && sorted[i + 1] == sorted[i] + 1)
            {
                i++;
            }

            text.Append(text.Length == 0 ? "" : ",").Append(first.ToString(CultureInfo.InvariantCulture));
            if (sorted[i] != first)
            {
                text.Append('-').Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static string Cut(string text, int limit = MaxCommentLength)
    {
        if (text.Length <= limit)
        {
            return text;
        }

        var length = limit;
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

        NftAllowanceRules.Add(chain, direction, rules.Allowances, entries, sets);
        var deny = direction == Direction.Ingress ? "mnp: ingress default deny" : "mnp: egress default deny";
        entries.Add(new NftRule([], NftVerdict.Drop, deny));
        return new NftChain(chain, null, entries.ToImmutable());
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
