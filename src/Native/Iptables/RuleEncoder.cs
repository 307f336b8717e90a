using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Mnp.Native.Iptables;

/// <summary>
/// Encodes a <see cref="NetfilterRule"/> as the <c>ipt_entry</c>/<c>ip6t_entry</c> blob libiptc appends:
/// the entry header, then matches in the model's fixed order (conntrack, icmp, tcp/udp or multiport,
/// comment), then a 40-byte standard target carrying the target's name, which libiptc turns into a verdict
/// or a jump offset. Pure managed code; the rule must have passed <see cref="RuleValidator"/>.
/// </summary>
public static class RuleEncoder
{
    /// <summary>Validates and encodes one rule; throws <see cref="RuleValidationException"/> on a bad rule.</summary>
    public static byte[] Encode(IpFamily family, NetfilterRule rule, string table = "filter", string chain = "-")
    {
        var problems = RuleValidator.ValidateRule(family, table, chain, 0, rule);
        if (!problems.IsEmpty)
        {
            throw new RuleValidationException(problems);
        }

        return EncodeValidated(family, rule);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static byte[] EncodeValidated(IpFamily family, NetfilterRule rule)
    {
        var layout = EntryLayout.For(family);
        var matchesSize = MatchesSize(family, rule);
        var targetOffset = layout.Size + matchesSize;
        var entry = new byte[targetOffset + XtLayout.StandardTargetSize];
        var span = entry.AsSpan();
        WriteHeader(layout, rule, span, targetOffset);
        var offset = layout.Size;
        if (rule.CtState != ConntrackStates.None)
        {
            offset += WriteConntrack(span[offset..], rule.CtState);
        }

        if (rule.Icmp is { } icmp)
        {
            offset += WriteIcmp(span[offset..], family, icmp);
        }

        if (!rule.DestinationPorts.IsDefaultOrEmpty)
        {
            offset += rule.UsesMultiport
                ? WriteMultiport(span[offset..], rule.DestinationPorts)
                : WriteTcpUdp(span[offset..], rule.Protocol!.Value, rule.DestinationPorts[0]);
        }

        if (rule.Comment is { } comment)
        {
            offset += WriteComment(span[offset..], comment);
        }

        WriteTarget(span[offset..], rule.Target.Name);
        return entry;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int MatchesSize(IpFamily family, NetfilterRule rule)
    {
        _ = family;
        var size = 0;
        if (rule.CtState != ConntrackStates.None)
        {
            size += XtLayout.MatchSize(XtLayout.ConntrackInfoSize);
        }

        if (rule.Icmp is not null)
        {
            size += XtLayout.MatchSize(XtLayout.IcmpInfoSize);
        }

        if (!rule.DestinationPorts.IsDefaultOrEmpty)
        {
            size += XtLayout.MatchSize(rule.UsesMultiport ? XtLayout.MultiportInfoSize
                : rule.Protocol == NetfilterProtocol.Tcp ? XtLayout.TcpInfoSize : XtLayout.UdpInfoSize);
        }

        if (rule.Comment is not null)
        {
            size += XtLayout.MatchSize(XtLayout.CommentInfoSize);
        }

        return size;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteHeader(EntryLayout layout, NetfilterRule rule, Span<byte> entry, int targetOffset)
    {
        WriteNetwork(entry, layout, layout.Source, layout.SourceMask, rule.Source);
        WriteNetwork(entry, layout, layout.Destination, layout.DestinationMask, rule.Destination);
        WriteInterface(entry, layout.InInterface, layout.InInterfaceMask, rule.InInterface);
        WriteInterface(entry, layout.OutInterface, layout.OutInterfaceMask, rule.OutInterface);
        if (rule.Protocol is { } protocol)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(entry[layout.Protocol..], (ushort)protocol);
            if (layout.Family == IpFamily.V6)
            {
                entry[layout.Flags] |= EntryLayout.Ip6FlagProto;
            }
        }

        BinaryPrimitives.WriteUInt16LittleEndian(entry[layout.TargetOffset..], (ushort)targetOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[layout.NextOffset..], (ushort)(targetOffset + XtLayout.StandardTargetSize));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteNetwork(Span<byte> entry, EntryLayout layout, int addressAt, int maskAt, IPNetwork? network)
    {
        if (network is not { } n || n.PrefixLength == 0)
        {
            return;
        }

        n.BaseAddress.TryWriteBytes(entry.Slice(addressAt, layout.AddressLength), out _);
        AddressMask.Write(n.PrefixLength, entry.Slice(maskAt, layout.AddressLength));
    }

    /// <summary>
    /// Always an exact match: the mask covers the name and its terminating NUL, so "n+" matches only the
    /// interface called "n+" (iptables' CLI would make it a wildcard for every name starting with "n";
    /// interface names come from pods, so we never write a wildcard).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteInterface(Span<byte> entry, int nameAt, int maskAt, string? name)
    {
        if (name is null)
        {
            return;
        }

        var length = Encoding.UTF8.GetBytes(name, entry.Slice(nameAt, EntryLayout.InterfaceFieldLength - 1));
        entry.Slice(maskAt, length + 1).Fill(0xFF);
    }

    /// <summary>Match names as UTF-8 literals: no transcoding per rule.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Span<byte> WriteMatchHeader(Span<byte> at, ReadOnlySpan<byte> name, byte revision, int infoSize)
    {
        var size = XtLayout.MatchSize(infoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)size);
        name.CopyTo(at.Slice(XtLayout.NameOffset, XtLayout.NameLength - 1));
        at[XtLayout.RevisionOffset] = revision;
        return at[XtLayout.HeaderSize..size];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteConntrack(Span<byte> at, ConntrackStates states)
    {
        var info = WriteMatchHeader(at, "conntrack"u8, 3, XtLayout.ConntrackInfoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(info[XtLayout.ConntrackMatchFlags..], XtLayout.ConntrackFlagState);
        BinaryPrimitives.WriteUInt16LittleEndian(info[XtLayout.ConntrackStateMask..], (ushort)states);
        return XtLayout.MatchSize(XtLayout.ConntrackInfoSize);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteIcmp(Span<byte> at, IpFamily family, IcmpTypeMatch icmp)
    {
        var info = WriteMatchHeader(at, family == IpFamily.V4 ? "icmp"u8 : "icmp6"u8, 0, XtLayout.IcmpInfoSize);
        info[XtLayout.IcmpType] = icmp.Type;
        info[XtLayout.IcmpCode] = icmp.CodeMin;
        info[XtLayout.IcmpCode + 1] = icmp.CodeMax;
        return XtLayout.MatchSize(XtLayout.IcmpInfoSize);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteTcpUdp(Span<byte> at, NetfilterProtocol protocol, (int From, int To) ports)
    {
        var infoSize = protocol == NetfilterProtocol.Tcp ? XtLayout.TcpInfoSize : XtLayout.UdpInfoSize;
        var info = WriteMatchHeader(at, protocol == NetfilterProtocol.Tcp ? "tcp"u8 : "udp"u8, 0, infoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(info[(XtLayout.TcpUdpSourcePorts + 2)..], ushort.MaxValue);
        BinaryPrimitives.WriteUInt16LittleEndian(info[XtLayout.TcpUdpDestinationPorts..], (ushort)ports.From);
        BinaryPrimitives.WriteUInt16LittleEndian(info[(XtLayout.TcpUdpDestinationPorts + 2)..], (ushort)ports.To);
        return XtLayout.MatchSize(infoSize);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteMultiport(Span<byte> at, ImmutableArray<(int From, int To)> ports)
    {
        var info = WriteMatchHeader(at, "multiport"u8, 1, XtLayout.MultiportInfoSize);
        info[XtLayout.MultiportFlags] = XtLayout.MultiportDestination;
        var slot = 0;
        foreach (var (from, to) in ports)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(info[(XtLayout.MultiportPorts + (2 * slot))..], (ushort)from);
            if (from != to)
            {
                info[XtLayout.MultiportPortFlags + slot] = 1;
                slot++;
                BinaryPrimitives.WriteUInt16LittleEndian(info[(XtLayout.MultiportPorts + (2 * slot))..], (ushort)to);
            }

            slot++;
        }

        info[XtLayout.MultiportCount] = (byte)slot;
        return XtLayout.MatchSize(XtLayout.MultiportInfoSize);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteComment(Span<byte> at, string comment)
    {
        var info = WriteMatchHeader(at, "comment"u8, 0, XtLayout.CommentInfoSize);
        Encoding.UTF8.GetBytes(comment, info[..XtLayout.CommentMaxBytes]);
        return XtLayout.MatchSize(XtLayout.CommentInfoSize);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteTarget(Span<byte> at, string name)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, XtLayout.StandardTargetSize);
        Encoding.UTF8.GetBytes(name, at.Slice(XtLayout.NameOffset, XtLayout.NameLength - 1));
    }
}
