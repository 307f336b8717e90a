using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Mnp.Native.Netlink;

namespace Mnp.Native.Rtnetlink;

/// <summary>Pure parsing of rtnetlink replies (no I/O), so it is tested on captured bytes.</summary>
public static class RtnetlinkParser
{
    /// <summary>Parses an <c>RTM_NEWLINK</c> message.</summary>
    public static LinkInfo ParseLink(NetlinkMessage message)
    {
        RequirePayload(message, NetlinkConstants.RtmNewLink, NetlinkConstants.IfInfoMsgSize);
        var fixedPart = message.Payload.Span;
        var index = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[4..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[8..]);
        var attributes = NetlinkParser.ParseAttributes(message.Payload[NetlinkConstants.IfInfoMsgSize..]);

        string? kind = null;
        if (attributes.TryGetValue(NetlinkConstants.IflaLinkinfo, out var linkInfo)
            && NetlinkParser.ParseAttributes(linkInfo).TryGetValue(NetlinkConstants.IflaInfoKind, out var kindBytes))
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
        var attributes = NetlinkParser.ParseAttributes(message.Payload[NetlinkConstants.IfAddrMsgSize..]);

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

}
