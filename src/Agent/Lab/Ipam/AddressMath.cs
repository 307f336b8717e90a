using System.Net;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace Mnp.Agent.Lab.Ipam;

/// <summary>IPv4/IPv6 addresses as unsigned integers, for range arithmetic.</summary>
internal static class AddressMath
{
    public static UInt128 ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return bytes.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static IPAddress FromNumber(UInt128 number, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            var v4 = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)number);
            return new IPAddress(v4);
        }

        var v6 = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, number);
        return new IPAddress(v6);
    }

    public static int Bits(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    public static UInt128 HostMask(int prefixLength, AddressFamily family)
    {
        var hostBits = Bits(family) - prefixLength;
        return hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }

    public static UInt128 NetworkOf(IPAddress address, int prefixLength) =>
        ToNumber(address) & ~HostMask(prefixLength, address.AddressFamily);
}
