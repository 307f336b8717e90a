using System.Globalization;
using System.Text;
using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Nftables;

/// <summary>
/// Prints a table exactly as <c>nft list table inet mnp</c> (nft 1.0.6) prints what we commit: tabs, one blank
/// line between objects, set elements sorted with nft's line breaks (IPv4 two per line, IPv6 one, ports five),
/// single keys bare, aligned ranges of addresses as prefixes, other ranges as <c>a-b</c>.
/// </summary>
public static class NftText
{
    private const string ElementBreak = ",\n\t\t\t     ";

    public static string Write(NftTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder(1024);
        text.Append("table inet ").Append(table.Name).Append(" {\n");
        text.Append("\tcomment \"").Append(table.Comment).Append("\"\n");
        var first = true;
        foreach (var set in table.Sets)
        {
            Separate(text, ref first);
            WriteSet(text, set);
        }

        foreach (var chain in table.Chains)
        {
            Separate(text, ref first);
            text.Append("\tchain ").Append(chain.Name).Append(" {\n");
            if (chain.Hook is { } hook)
            {
                text.Append("\t\ttype filter hook ").Append(hook == NftHook.Input ? "input" : "output").Append(" priority filter; policy accept;\n");
            }

            foreach (var rule in chain.Rules)
            {
                text.Append("\t\t").Append(Rule(rule)).Append('\n');
            }

            text.Append("\t}\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>One rule in nft syntax, without indentation.</summary>
    public static string Rule(NftRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var text = new StringBuilder(64);
        foreach (var match in rule.Matches)
        {
            text.Append(Match(match)).Append(' ');
        }

        text.Append(rule.Verdict.Kind switch
        {
            NftVerdictKind.Accept => "accept",
            NftVerdictKind.Drop => "drop",
            _ => "jump " + rule.Verdict.Chain,
        });
        if (rule.Comment is not null)
        {
            text.Append(" comment \"").Append(CommentText(rule.Comment)).Append('"');
        }

        return text.ToString();
    }

    /// <summary>One element of a concatenation as nft prints it: <c>10.0.0.5 . tcp . 8080</c>.</summary>
    public static string Tuple(bool v6, NftConcatKey tuple) =>
        string.Create(CultureInfo.InvariantCulture, $"{NftIntervals.ToAddress(tuple.Address, v6)} . {NftRenderer.ProtocolName(tuple.Protocol)} . {tuple.Port}");

    /// <summary>One element as nft prints it.</summary>
    public static string Element(NftSetKeyType type, NftInterval element)
    {
        if (type == NftSetKeyType.InetService)
        {
            return element.First == element.Last
                ? element.First.ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{element.First}-{element.Last}");
        }

        var v6 = type == NftSetKeyType.Ipv6Address;
        var first = NftIntervals.ToAddress(element.First, v6);
        if (element.First == element.Last)
        {
            return first.ToString();
        }

        var prefix = PrefixLength(element, v6 ? 128 : 32);
        return prefix >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"{first}/{prefix}")
            : $"{first}-{NftIntervals.ToAddress(element.Last, v6)}";
    }

    private static void Separate(StringBuilder text, ref bool first)
    {
        if (!first)
        {
            text.Append('\n');
        }

        first = false;
    }

    private static void WriteSet(StringBuilder text, NftSet set)
    {
        text.Append("\tset ").Append(set.Name).Append(" {\n");
        text.Append("\t\ttype ").Append(set.KeyType switch
        {
            NftSetKeyType.Ipv4Address => "ipv4_addr",
            NftSetKeyType.Ipv6Address => "ipv6_addr",
            NftSetKeyType.Ipv4ProtoService => "ipv4_addr . inet_proto . inet_service",
            NftSetKeyType.Ipv6ProtoService => "ipv6_addr . inet_proto . inet_service",
            _ => "inet_service",
        }).Append('\n');
        if (set.IsConcatenation)
        {
            WriteTuples(text, set);
            return;
        }

        text.Append("\t\tflags interval\n");
        if (set.Elements.IsEmpty)
        {
            text.Append("\t}\n");
            return;
        }

        var perLine = set.KeyType switch
        {
            NftSetKeyType.Ipv4Address => 2,
            NftSetKeyType.Ipv6Address => 1,
            _ => 5,
        };
        text.Append("\t\telements = { ");
        for (var i = 0; i < set.Elements.Length; i++)
        {
            if (i > 0)
            {
                text.Append(i % perLine == 0 ? ElementBreak : ", ");
            }

            text.Append(Element(set.KeyType, set.Elements[i]));
        }

        text.Append(" }\n\t}\n");
    }

    /// <summary>A concatenation's elements, one per line, in nft's order (the model keeps them so).</summary>
    private static void WriteTuples(StringBuilder text, NftSet set)
    {
        if (set.Tuples.IsEmpty)
        {
            text.Append("\t}\n");
            return;
        }

        var v6 = set.KeyType == NftSetKeyType.Ipv6ProtoService;
        text.Append("\t\telements = { ");
        for (var i = 0; i < set.Tuples.Length; i++)
        {
            text.Append(i > 0 ? ElementBreak : "").Append(Tuple(v6, set.Tuples[i]));
        }

        text.Append(" }\n\t}\n");
    }

    /// <summary>The prefix length when the range is exactly one aligned prefix, else -1.</summary>
    private static int PrefixLength(NftInterval element, int bits)
    {
        var size = element.Last - element.First;
        if (size == UInt128.MaxValue)
        {
            return 0;
        }

        size++;
        if (!UInt128.IsPow2(size) || (element.First & (size - 1)) != 0)
        {
            return -1;
        }

        return bits - (int)UInt128.Log2(size);
    }

    /// <summary>
    /// An exact interface name as nft list prints it: a trailing <c>*</c> is escaped (<c>"n\*"</c>), since nft reads
    /// a bare trailing <c>*</c> as a wildcard; our netlink rules always match the whole name.
    /// </summary>
    public static string InterfaceName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.EndsWith('*') ? string.Concat(name.AsSpan(0, name.Length - 1), "\\*") : name;
    }

    /// <summary>
    /// The interface match as text. nft's quoted strings have no escapes, so a name holding <c>"</c>, <c>#</c> or
    /// <c>\</c> (the kernel allows them; our netlink rules match them exactly) cannot be written: the text then names
    /// an undefined variable, so <c>nft -f</c> of it refuses the whole file instead of reading a different name or an
    /// injected statement (fail closed for anyone who loads the text).
    /// </summary>
    public static string InterfaceMatch(string keyword, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.AsSpan().IndexOfAny("\"#\\") >= 0
            ? $"{keyword} $mnp_unrepresentable_interface_name"
            : $"{keyword} \"{InterfaceName(name)}\"";
    }

    /// <summary>
    /// A comment safe inside nft's quotes, which have no escapes: <c>"</c> becomes <c>'</c>, <c>\</c> <c>/</c> and
    /// control characters <c>?</c>. The renderer makes every comment it commits this way; the writer applies it again
    /// (a no-op there) so that comments read back from the kernel cannot break the text either.
    /// </summary>
    public static string CommentText(string comment)
    {
        ArgumentNullException.ThrowIfNull(comment);
        return string.Create(comment.Length, comment, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c switch
                {
                    '"' => '\'',
                    '\\' => '/',
                    _ when char.IsControl(c) => '?',
                    _ => c,
                };
            }
        });
    }

    private static string Match(NftMatch match) => match.Kind switch
    {
        NftMatchKind.InInterface => InterfaceMatch("iifname", match.Name!),
        NftMatchKind.OutInterface => InterfaceMatch("oifname", match.Name!),
        NftMatchKind.CtEstablishedRelated => "ct state established,related",
        NftMatchKind.SourceIs => $"{(match.Family == IpFamily.V4 ? "ip" : "ip6")} saddr {match.Address}",
        NftMatchKind.DestinationIs => $"{(match.Family == IpFamily.V4 ? "ip" : "ip6")} daddr {match.Address}",
        NftMatchKind.SourceInSet => $"{(match.Family == IpFamily.V4 ? "ip" : "ip6")} saddr @{match.Name}",
        NftMatchKind.DestinationInSet => $"{(match.Family == IpFamily.V4 ? "ip" : "ip6")} daddr @{match.Name}",
        NftMatchKind.IpProtocol => $"ip protocol {NftRenderer.ProtocolName(match.Protocol)}",
        NftMatchKind.L4Proto => $"meta l4proto {NftRenderer.ProtocolName(match.Protocol)}",
        NftMatchKind.DestinationPort => string.Create(CultureInfo.InvariantCulture, $"{NftRenderer.ProtocolName(match.Protocol)} dport {match.From}"),
        NftMatchKind.DestinationPortRange => string.Create(CultureInfo.InvariantCulture, $"{NftRenderer.ProtocolName(match.Protocol)} dport {match.From}-{match.To}"),
        NftMatchKind.DestinationPortInSet => $"{NftRenderer.ProtocolName(match.Protocol)} dport @{match.Name}",
        NftMatchKind.IcmpTypeRange => string.Create(CultureInfo.InvariantCulture, $"icmp type {match.From}-{match.To}{Codes("icmp", match)}"),
        NftMatchKind.DestinationTupleInSet => $"{(match.Family == IpFamily.V4 ? "ip" : "ip6")} daddr . meta l4proto . th dport @{match.Name}",
        NftMatchKind.SourceTupleInSet => $"{(match.Family == IpFamily.V4 ? "ip" : "ip6")} saddr . meta l4proto . th dport @{match.Name}",
        _ => string.Create(CultureInfo.InvariantCulture, $"icmpv6 type {match.From}-{match.To}{Codes("icmpv6", match)}"),
    };

    private static string Codes(string protocol, NftMatch match) =>
        match.Codes is { } codes ? string.Create(CultureInfo.InvariantCulture, $" {protocol} code {codes.From}-{codes.To}") : "";
}
