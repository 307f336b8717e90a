using System.Buffers.Binary;
using System.Text;

namespace Mnp.Native.Nftables;

/// <summary>
/// Writes a run of nfnetlink messages into one buffer: nlmsghdr (host order), nfgenmsg (res_id big-endian), then
/// 4-byte aligned attributes. Every nest gets NLA_F_NESTED, and closing a nest longer than a u16 throws instead of
/// letting the length wrap (the kernel would silently take a prefix).
/// </summary>
internal sealed class NfMessageWriter
{
    private readonly Stack<int> _nests = new();
    private byte[] _buffer;
    private int _length;
    private int _messageStart = -1;

    public NfMessageWriter(int capacity = 4096)
    {
        _buffer = new byte[capacity];
    }

    public int Length => _length;

    /// <summary>Bytes of the current nest so far (header included), to split element lists in time.</summary>
    public int CurrentNestLength => _nests.Count == 0 ? 0 : _length - _nests.Peek();

    public NfMessageWriter Begin(ushort type, ushort flags, uint sequence, byte family, ushort resourceId = 0)
    {
        if (_messageStart >= 0)
        {
            throw new InvalidOperationException("nfnetlink message started before the previous one ended");
        }

        _messageStart = _length;
        var header = Reserve(20);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence);
        header[16] = family;
        header[17] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(header[18..], resourceId);
        return this;
    }

    public NfMessageWriter End()
    {
        if (_messageStart < 0 || _nests.Count != 0)
        {
            throw new InvalidOperationException("nfnetlink message ended with no message or an open nest");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_messageStart), (uint)(_length - _messageStart));
        _messageStart = -1;
        return this;
    }

    public NfMessageWriter Bytes(ushort type, ReadOnlySpan<byte> value)
    {
        var length = 4 + value.Length;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"netlink attribute {type} of {length} bytes does not fit a u16 length");
        }

        var span = Reserve(Align(length));
        span.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        value.CopyTo(span[4..]);
        return this;
    }

    public NfMessageWriter String(ushort type, string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = count < 256 ? stackalloc byte[count + 1] : new byte[count + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[count] = 0;
        return Bytes(type, bytes);
    }

    public NfMessageWriter U32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Bytes(type, bytes);
    }

    public NfMessageWriter BeginNest(ushort type)
    {
        _nests.Push(_length);
        var span = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)(type | NftNetlink.Nested));
        return this;
    }

    public NfMessageWriter EndNest()
    {
        var start = _nests.Pop();
        var length = _length - start;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"netlink nest of {length} bytes would wrap its u16 length");
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)length);
        return this;
    }

    /// <summary>A data nest holding one value: <c>{VALUE bytes}</c>.</summary>
    public NfMessageWriter Data(ushort type, ReadOnlySpan<byte> value) => BeginNest(type).Bytes(NftNetlink.DataValue, value).EndNest();

    public byte[] ToArray()
    {
        if (_messageStart >= 0)
        {
            throw new InvalidOperationException("nfnetlink buffer taken with an unfinished message");
        }

        return _buffer.AsSpan(0, _length).ToArray();
    }

    internal static int Align(int length) => (length + 3) & ~3;

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }
}
