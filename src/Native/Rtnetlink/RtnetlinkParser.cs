using System.Net;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Mnp.Native.Interop.Netlink;

namespace Mnp.Native.Rtnetlink;

/// <summary>Pure parsing of rtnetlink replies (no I/O), so it is tested on captured bytes.</summary>
public static class RtnetlinkParser
{
    /// <summary>Splits a received datagram into messages; a truncated or malformed message ends the list with a FormatException.</summary>
    public static IReadOnlyList<NetlinkMessage> SplitMessages(ReadOnlyMemory<byte> datagram)
    {
        var messages = new List<NetlinkMessage>();
        var offset = 0;
        while (datagram.Length - offset >= NetlinkConstants.HeaderSize)
        {
            var span = datagram.Span[offset..];
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(span);
            if (length < NetlinkConstants.HeaderSize || length > span.Length)
            {
                throw new FormatException($"netlink message at offset {offset} has length {length}, {span.Length} bytes left");
            }

            messages.Add(new NetlinkMessage(
                BinaryPrimitives.ReadUInt16LittleEndian(span[4..]),
                BinaryPrimitives.ReadUInt16LittleEndian(span[6..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[8..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[12..]),
                datagram.Slice(offset + NetlinkConstants.HeaderSize, length - NetlinkConstants.HeaderSize)));
            offset += Align(length);
        }

        return messages;
    }

    /// <summary>Attributes of one level, keyed by type without the nested/byte-order flags; the first occurrence wins.</summary>
    public static IReadOnlyDictionary<ushort, ReadOnlyMemory<byte>> ParseAttributes(ReadOnlyMemory<byte> attributes)
    {
        var result = new Dictionary<ushort, ReadOnlyMemory<byte>>();
        var offset = 0;
        while (attributes.Length - offset >= NetlinkConstants.AttributeHeaderSize)
        {
            var span = attributes.Span[offset..];
            var length = BinaryPrimitives.ReadUInt16LittleEndian(span);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span[2..]) & NetlinkConstants.NlaTypeMask);
            if (length < NetlinkConstants.AttributeHeaderSize || length > span.Length)
            {
                throw new FormatException($"netlink attribute {type} at offset {offset} has length {length}, {span.Length} bytes left");
            }

            result.TryAdd(type, attributes.Slice(offset + NetlinkConstants.AttributeHeaderSize, length - NetlinkConstants.AttributeHeaderSize));
            offset += Align(length);
        }

        return result;
    }

    /// <summary>The errno of an <c>NLMSG_ERROR</c> message as a positive number; 0 is an ack.</summary>
    public static int ParseError(NetlinkMessage message)
    {
        if (message.Type != NetlinkConstants.NlmsgError || message.Payload.Length < 4)
        {
            throw new FormatException($"netlink message type {message.Type} is not an error message");
        }

        return -BinaryPrimitives.ReadInt32LittleEndian(message.Payload.Span);
    }

    /// <summary>Parses an <c>RTM_NEWLINK</c> message.</summary>
    public static LinkInfo ParseLink(NetlinkMessage message)
    {
        RequirePayload(message, NetlinkConstants.RtmNewLink, NetlinkConstants.IfInfoMsgSize);
        var fixedPart = message.Payload.Span;
        var index = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[4..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[8..]);
        var attributes = ParseAttributes(message.Payload[NetlinkConstants.IfInfoMsgSize..]);

        string? kind = null;
        if (attributes.TryGetValue(NetlinkConstants.IflaLinkinfo, out var linkInfo)
            && ParseAttributes(linkInfo).TryGetValue(NetlinkConstants.IflaInfoKind, out var kindBytes))
        {
            kind = ReadString(kindBytes.Span);
        }

        return new LinkInfo(
            index,
            attributes.TryGetValue(NetlinkConstants.IflaIfname, out var name) ? ReadString(name.Span) : string.Empty,
            kind,
            attributes.TryGetValue(NetlinkConstants.IflaOperstate, out var oper) && oper.Length >= 1 ? (LinkOperState)oper.Span[0] : LinkOperState.Unknown,
            flags,
            attributes.TryGetValue(NetlinkConstants.IflaAddress, out var mac) ? FormatMac(mac.Span) : null,
            attributes.TryGetValue(NetlinkConstants.IflaMtu, out var mtu) && mtu.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(mtu.Span) : 0,
            attributes.TryGetValue(NetlinkConstants.IflaLink, out var parent) && parent.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(parent.Span) : null);
    }

    /// <summary>Parses an <c>RTM_NEWADDR</c> message.</summary>
    public static AddressInfo ParseAddress(NetlinkMessage message)
    {
        RequirePayload(message, NetlinkConstants.RtmNewAddr, NetlinkConstants.IfAddrMsgSize);
        var fixedPart = message.Payload.Span;
        var family = fixedPart[0] switch
        {
            2 => AddressFamily.InterNetwork,
            10 => AddressFamily.InterNetworkV6,
            var other => throw new FormatException($"address family {other} is not IPv4 or IPv6"),
        };
        var attributes = ParseAttributes(message.Payload[NetlinkConstants.IfAddrMsgSize..]);

        // For point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is the interface's own address when present.
        if (!attributes.TryGetValue(NetlinkConstants.IfaLocal, out var address) && !attributes.TryGetValue(NetlinkConstants.IfaAddress, out address))
        {
            throw new FormatException("address message has neither IFA_LOCAL nor IFA_ADDRESS");
        }

        return new AddressInfo(
            family,
            new IPAddress(address.Span),
            fixedPart[1],
            BinaryPrimitives.ReadInt32LittleEndian(fixedPart[4..]),
            fixedPart[3],
            attributes.TryGetValue(NetlinkConstants.IfaLabel, out var label) ? ReadString(label.Span) : null);
    }

    public static string FormatMac(ReadOnlySpan<byte> bytes) => string.Join(':', bytes.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static void RequirePayload(NetlinkMessage message, ushort type, int fixedSize)
    {
        if (message.Type != type)
        {
            throw new FormatException($"netlink message type {message.Type}, expected {type}");
        }

        if (message.Payload.Length < fixedSize)
        {
            throw new FormatException($"netlink message type {type} has {message.Payload.Length} payload bytes, expected at least {fixedSize}");
        }
    }

    private static string ReadString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    private static int Align(int length) => (length + 3) & ~3;
}
