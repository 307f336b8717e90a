using System.Buffers.Binary;

namespace Mnp.Native.Netlink;

/// <summary>
/// Generic netlink framing, shared by every netlink family we speak (rtnetlink, nf_tables): splitting a
/// datagram into messages, attributes into a map, and the errno of an <c>NLMSG_ERROR</c>.
/// </summary>
public static class NetlinkParser
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

    private static int Align(int length) => (length + 3) & ~3;
}
