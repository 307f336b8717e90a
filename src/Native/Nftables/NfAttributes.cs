using System.Buffers.Binary;
using System.Text;

namespace Mnp.Native.Nftables;

/// <summary>
/// Reads nfnetlink attributes in order, repeats included (expression lists and element lists repeat their
/// type). Dumps carry no NESTED flag, so nests are decoded by schema; integers are big-endian.
/// </summary>
internal static class NfAttributes
{
    public static List<(ushort Type, ReadOnlyMemory<byte> Value)> Parse(ReadOnlyMemory<byte> attributes)
    {
        var result = new List<(ushort, ReadOnlyMemory<byte>)>();
        var offset = 0;
        while (attributes.Length - offset >= 4)
        {
            var span = attributes.Span[offset..];
            var length = BinaryPrimitives.ReadUInt16LittleEndian(span);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span[2..]) & NftNetlink.TypeMask);
            if (length < 4 || length > span.Length)
            {
                throw new FormatException($"nfnetlink attribute {type} at offset {offset} has length {length}, {span.Length} bytes left");
            }

            result.Add((type, attributes.Slice(offset + 4, length - 4)));
            offset += NfMessageWriter.Align(length);
        }

        return result;
    }

    /// <summary>The attributes after the 4-byte nfgenmsg of a message payload.</summary>
    public static List<(ushort Type, ReadOnlyMemory<byte> Value)> OfMessage(ReadOnlyMemory<byte> payload) =>
        payload.Length < 4 ? throw new FormatException("nfnetlink message shorter than its nfgenmsg") : Parse(payload[4..]);

    public static ReadOnlyMemory<byte>? Find(List<(ushort Type, ReadOnlyMemory<byte> Value)> attributes, ushort type)
    {
        foreach (var (t, value) in attributes)
        {
            if (t == type)
            {
                return value;
            }
        }

        return null;
    }

    public static string? String(List<(ushort Type, ReadOnlyMemory<byte> Value)> attributes, ushort type) =>
        Find(attributes, type) is { } value ? Text(value.Span) : null;

    public static uint? U32(List<(ushort Type, ReadOnlyMemory<byte> Value)> attributes, ushort type) =>
        Find(attributes, type) is { Length: >= 4 } value ? BinaryPrimitives.ReadUInt32BigEndian(value.Span) : null;

    /// <summary>The bytes of a data nest's VALUE.</summary>
    public static ReadOnlyMemory<byte>? DataValue(List<(ushort Type, ReadOnlyMemory<byte> Value)> attributes, ushort type) =>
        Find(attributes, type) is { } nest ? Find(Parse(nest), NftNetlink.DataValue) : null;

    public static string Text(ReadOnlySpan<byte> value)
    {
        var end = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
    }

    /// <summary>The comment TLV (type 0) of table or rule userdata; other TLVs are skipped.</summary>
    public static string? Comment(ReadOnlySpan<byte> userData)
    {
        var offset = 0;
        while (offset + 2 <= userData.Length)
        {
            var type = userData[offset];
            var length = userData[offset + 1];
            if (offset + 2 + length > userData.Length)
            {
                return null;
            }

            if (type == 0)
            {
                return Text(userData.Slice(offset + 2, length));
            }

            offset += 2 + length;
        }

        return null;
    }
}
