using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Mnp.Policy.Rendering;

namespace Mnp.Native.Iptables;

/// <summary>
/// The inverse of <see cref="RuleEncoder"/>: an <c>ipt_entry</c>/<c>ip6t_entry</c> blob back to a
/// <see cref="NetfilterRule"/>, plus a readable summary for entries the model cannot express.
/// </summary>
public static class EntryDecoder
{
    /// <summary>
    /// Decodes one entry. <paramref name="targetName"/> is what <c>iptc_get_target</c> reported (needed for
    /// jumps, whose kernel form is a byte offset); when null the name comes from the entry's own bytes.
    /// </summary>
    public static DecodedEntry Decode(IpFamily family, ReadOnlySpan<byte> entry, string? targetName = null)
    {
        var layout = EntryLayout.For(family);
        var state = new DecodeState();
        var rule = DecodeHeader(layout, entry, state);
        var targetOffset = BinaryPrimitives.ReadUInt16LittleEndian(entry[layout.TargetOffset..]);
        var offset = layout.Size;
        while (offset + XtLayout.HeaderSize <= targetOffset)
        {
            var size = BinaryPrimitives.ReadUInt16LittleEndian(entry[offset..]);
            if (size < XtLayout.HeaderSize || offset + size > targetOffset)
            {
                state.Fail("-m <malformed>");
                break;
            }

            rule = DecodeMatch(layout, entry.Slice(offset, size), rule, state);
            offset += size;
        }

        var target = targetName ?? TargetNameOf(entry[targetOffset..]);
        var ruleTarget = target switch
        {
            "ACCEPT" => RuleTarget.Accept,
            "DROP" => RuleTarget.Drop,
            "RETURN" => RuleTarget.Return,
            _ when ChainNames.IsOwned(target) => RuleTarget.JumpTo(target),
            _ => null,
        };
        state.Text.Append(" -j ").Append(target.Length == 0 ? "<fall-through>" : target);
        var decoded = ruleTarget is null || !state.Representable ? null : rule with { Target = ruleTarget };
        return new DecodedEntry(decoded, target, state.Text.ToString().TrimStart(), state.Unknown.ToImmutable());
    }

    private static NetfilterRule DecodeHeader(EntryLayout layout, ReadOnlySpan<byte> entry, DecodeState state)
    {
        var rule = new NetfilterRule(RuleTarget.Accept)
        {
            Source = ReadNetwork(layout, entry, layout.Source, layout.SourceMask, state, "-s"),
            Destination = ReadNetwork(layout, entry, layout.Destination, layout.DestinationMask, state, "-d"),
            InInterface = ReadInterface(entry, layout.InInterface, layout.InInterfaceMask, state, "-i"),
            OutInterface = ReadInterface(entry, layout.OutInterface, layout.OutInterfaceMask, state, "-o"),
        };
        var protocol = BinaryPrimitives.ReadUInt16LittleEndian(entry[layout.Protocol..]);
        if (protocol != 0)
        {
            state.Text.Append(" -p ").Append(IptablesText.ProtocolName(protocol));
            if (Enum.IsDefined((NetfilterProtocol)protocol))
            {
                rule = rule with { Protocol = (NetfilterProtocol)protocol };
            }
            else
            {
                state.Representable = false;
            }
        }

        if (entry[layout.InvFlags] != 0)
        {
            state.Fail($" <inverted 0x{entry[layout.InvFlags]:x2}>");
        }

        return rule;
    }

    private static IPNetwork? ReadNetwork(EntryLayout layout, ReadOnlySpan<byte> entry, int addressAt, int maskAt, DecodeState state, string flag)
    {
        var mask = entry.Slice(maskAt, layout.AddressLength);
        var address = entry.Slice(addressAt, layout.AddressLength);
        if (!mask.ContainsAnyExcept((byte)0) && !address.ContainsAnyExcept((byte)0))
        {
            return null;
        }

        var prefix = AddressMask.ToPrefix(mask);
        var ip = new IPAddress(address);
        if (prefix < 0)
        {
            state.Fail($" {flag} {ip}/{new IPAddress(mask)}");
            return null;
        }

        state.Text.Append(CultureInfo.InvariantCulture, $" {flag} {ip}/{prefix}");
        try
        {
            return new IPNetwork(ip, prefix);
        }
        catch (ArgumentException)
        {
            state.Representable = false;
            return null;
        }
    }

    private static string? ReadInterface(ReadOnlySpan<byte> entry, int nameAt, int maskAt, DecodeState state, string flag)
    {
        var field = entry.Slice(nameAt, EntryLayout.InterfaceFieldLength);
        var length = field.IndexOf((byte)0);
        if (length <= 0)
        {
            return null;
        }

        var name = Encoding.UTF8.GetString(field[..length]);
        var mask = entry.Slice(maskAt, EntryLayout.InterfaceFieldLength);
        var ones = mask.IndexOfAnyExcept((byte)0xFF);
        var exact = (ones < 0 ? mask.Length : ones) == length + 1 && !mask[(length + 1)..].ContainsAnyExcept((byte)0);
        if (exact)
        {
            // What we write: the mask covers the NUL. Printed as iptables-save prints it.
            state.Text.Append(' ').Append(flag).Append(' ').Append(IptablesText.Interface(name));
            return name;
        }

        // A wildcard (or any other mask) is never ours: printed as iptables-save would, never a model rule.
        var prefix = ones < 0 ? field.Length : Math.Min(ones, field.Length);
        state.Fail($" {flag} {IptablesText.Interface(Encoding.UTF8.GetString(field[..Math.Min(prefix, length)]))}+ <interface mask>");
        return name;
    }

    private static NetfilterRule DecodeMatch(EntryLayout layout, ReadOnlySpan<byte> match, NetfilterRule rule, DecodeState state)
    {
        var name = CString(match.Slice(XtLayout.NameOffset, XtLayout.NameLength));
        var revision = match[XtLayout.RevisionOffset];
        var info = match[XtLayout.HeaderSize..];
        return (name, revision) switch
        {
            ("conntrack", 3) => DecodeConntrack(info, rule, state),
            ("tcp" or "udp", 0) => DecodeTcpUdp(name, info, rule, state),
            ("multiport", 1) => DecodeMultiport(info, rule, state),
            ("comment", 0) => DecodeComment(info, rule, state),
            _ when name == layout.IcmpMatchName && revision == 0 => DecodeIcmp(name, info, rule, state),
            _ => Unknown(name, rule, state),
        };
    }

    private static NetfilterRule Unknown(string name, NetfilterRule rule, DecodeState state)
    {
        state.Unknown.Add(name);
        state.Fail($" -m {name}");
        return rule;
    }

    private static NetfilterRule DecodeConntrack(ReadOnlySpan<byte> info, NetfilterRule rule, DecodeState state)
    {
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(info[XtLayout.ConntrackMatchFlags..]);
        var invert = BinaryPrimitives.ReadUInt16LittleEndian(info[XtLayout.ConntrackInvertFlags..]);
        var mask = BinaryPrimitives.ReadUInt16LittleEndian(info[XtLayout.ConntrackStateMask..]);
        state.Text.Append(" -m conntrack --ctstate ").Append(IptablesText.StateNames((ConntrackStates)mask));
        var modelled = (ConntrackStates)mask & (ConntrackStates.Invalid | ConntrackStates.Established | ConntrackStates.Related | ConntrackStates.New);
        if (flags != XtLayout.ConntrackFlagState || invert != 0 || (int)modelled != mask || mask == 0 || rule.CtState != ConntrackStates.None)
        {
            state.Fail(" <conntrack options>");
        }

        return rule with { CtState = modelled };
    }

    private static NetfilterRule DecodeTcpUdp(string name, ReadOnlySpan<byte> info, NetfilterRule rule, DecodeState state)
    {
        var spLow = BinaryPrimitives.ReadUInt16LittleEndian(info[XtLayout.TcpUdpSourcePorts..]);
        var spHigh = BinaryPrimitives.ReadUInt16LittleEndian(info[(XtLayout.TcpUdpSourcePorts + 2)..]);
        var dpLow = BinaryPrimitives.ReadUInt16LittleEndian(info[XtLayout.TcpUdpDestinationPorts..]);
        var dpHigh = BinaryPrimitives.ReadUInt16LittleEndian(info[(XtLayout.TcpUdpDestinationPorts + 2)..]);
        state.Text.Append(" -m ").Append(name).Append(" --dport ").Append(IptablesText.Port(dpLow, dpHigh));
        var extras = name == "tcp"
            ? info[XtLayout.TcpOption] | info[XtLayout.TcpFlagMask] | info[XtLayout.TcpFlagCompare] | info[XtLayout.TcpInvFlags]
            : info[XtLayout.UdpInvFlags];
        var protocolMatches = (name == "tcp" ? NetfilterProtocol.Tcp : NetfilterProtocol.Udp) == rule.Protocol;
        if (spLow != 0 || spHigh != ushort.MaxValue || extras != 0 || !protocolMatches || !rule.DestinationPorts.IsDefaultOrEmpty)
        {
            state.Fail(" <tcp/udp options>");
        }

        return rule with { DestinationPorts = [(dpLow, dpHigh)] };
    }

    private static NetfilterRule DecodeMultiport(ReadOnlySpan<byte> info, NetfilterRule rule, DecodeState state)
    {
        var count = Math.Min((int)info[XtLayout.MultiportCount], XtLayout.MultiportMaxSlots);
        var ports = ImmutableArray.CreateBuilder<(int From, int To)>();
        for (var slot = 0; slot < count; slot++)
        {
            var from = BinaryPrimitives.ReadUInt16LittleEndian(info[(XtLayout.MultiportPorts + (2 * slot))..]);
            var to = from;
            if (info[XtLayout.MultiportPortFlags + slot] == 1 && slot + 1 < count)
            {
                slot++;
                to = BinaryPrimitives.ReadUInt16LittleEndian(info[(XtLayout.MultiportPorts + (2 * slot))..]);
            }

            ports.Add((from, to));
        }

        var result = rule with { DestinationPorts = ports.ToImmutable() };
        state.Text.Append(" -m multiport --dports ").AppendJoin(',', result.DestinationPorts.Select(p => IptablesText.Port(p.From, p.To)));
        if (info[XtLayout.MultiportFlags] != XtLayout.MultiportDestination || info[XtLayout.MultiportInvert] != 0
            || !rule.DestinationPorts.IsDefaultOrEmpty || !result.UsesMultiport)
        {
            state.Fail(" <multiport options>");
        }

        return result;
    }

    private static NetfilterRule DecodeComment(ReadOnlySpan<byte> info, NetfilterRule rule, DecodeState state)
    {
        var comment = CString(info[..XtLayout.CommentInfoSize]);
        state.Text.Append(" -m comment --comment ").Append(IptablesText.SaveString(comment));
        if (rule.Comment is not null)
        {
            state.Fail(" <second comment>");
        }

        return rule with { Comment = comment };
    }

    private static NetfilterRule DecodeIcmp(string name, ReadOnlySpan<byte> info, NetfilterRule rule, DecodeState state)
    {
        var icmp = new IcmpTypeMatch(info[XtLayout.IcmpType], info[XtLayout.IcmpCode], info[XtLayout.IcmpCode + 1]);
        state.Text.Append(CultureInfo.InvariantCulture, $" -m {name} --{(name == "icmp" ? "icmp-type" : "icmpv6-type")} ").Append(IptablesText.IcmpType(icmp));
        if (info[XtLayout.IcmpInvFlags] != 0 || rule.Icmp is not null)
        {
            state.Fail(" <icmp options>");
        }

        return rule with { Icmp = icmp };
    }

    /// <summary>The name in the target's header, or the standard verdict it stands for when the name is empty.</summary>
    private static string TargetNameOf(ReadOnlySpan<byte> target)
    {
        var name = CString(target.Slice(XtLayout.NameOffset, XtLayout.NameLength));
        if (name.Length > 0 || BinaryPrimitives.ReadUInt16LittleEndian(target) != XtLayout.StandardTargetSize)
        {
            return name;
        }

        return BinaryPrimitives.ReadInt32LittleEndian(target[XtLayout.VerdictOffset..]) switch
        {
            XtLayout.VerdictAccept => "ACCEPT",
            XtLayout.VerdictDrop => "DROP",
            XtLayout.VerdictReturn => "RETURN",
            _ => "",
        };
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private sealed class DecodeState
    {
        public StringBuilder Text { get; } = new();

        public ImmutableArray<string>.Builder Unknown { get; } = ImmutableArray.CreateBuilder<string>();

        public bool Representable { get; set; } = true;

        public void Fail(string text)
        {
            Text.Append(text);
            Representable = false;
        }
    }
}
