using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Mnp.Native.Netlink;

/// <summary>Builds one netlink request: header, fixed family struct, then 4-byte aligned attributes (nested ones too).</summary>
internal sealed class NetlinkRequestBuilder
{
    private readonly List<byte> _bytes = new(256);
    private readonly Stack<int> _nested = new();

    public NetlinkRequestBuilder(ushort type, NetlinkMessageFlags flags)
    {
        var header = new NetlinkMessageHeader { Type = type, Flags = (ushort)flags };
        AppendStruct(header);
    }

    public NetlinkRequestBuilder Struct<T>(T value)
        where T : unmanaged
    {
        AppendStruct(value);
        return this;
    }

    public NetlinkRequestBuilder Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        var length = NetlinkConstants.AttributeHeaderSize + value.Length;
        AppendU16((ushort)length);
        AppendU16(type);
        foreach (var b in value)
        {
            _bytes.Add(b);
        }

        Pad();
        return this;
    }

    public NetlinkRequestBuilder String(ushort type, string value) => Attribute(type, Encoding.UTF8.GetBytes(value + "\0"));

    public NetlinkRequestBuilder U32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Attribute(type, bytes);
    }

    public NetlinkRequestBuilder BeginNested(ushort type)
    {
        _nested.Push(_bytes.Count);
        AppendU16(0);
        AppendU16((ushort)(type | NetlinkConstants.NlaFNested));
        return this;
    }

    public NetlinkRequestBuilder EndNested()
    {
        var start = _nested.Pop();
        var length = (ushort)(_bytes.Count - start);
        _bytes[start] = (byte)length;
        _bytes[start + 1] = (byte)(length >> 8);
        return this;
    }

    public byte[] Build(uint sequence)
    {
        if (_nested.Count != 0)
        {
            throw new InvalidOperationException("netlink request has an unclosed nested attribute");
        }

        var bytes = _bytes.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), sequence);
        return bytes;
    }

    private void AppendStruct<T>(T value)
        where T : unmanaged
    {
        foreach (var b in MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)))
        {
            _bytes.Add(b);
        }

        Pad();
    }

    private void AppendU16(ushort value)
    {
        _bytes.Add((byte)value);
        _bytes.Add((byte)(value >> 8));
    }

    private void Pad()
    {
        while (_bytes.Count % 4 != 0)
        {
            _bytes.Add(0);
        }
    }
}
