using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace Mnp.Bench;

/// <summary><c>struct sockaddr_in</c>: port and address in network byte order (the address field read as the machine's little-endian word).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SocketAddressIn
{
    public ushort Family;
    public ushort Port;
    public uint Address;
    public ulong Zero;

    public static SocketAddressIn Of(IPAddress address, int port) => new()
    {
        Family = BenchSyscalls.AfInet,
        Port = BinaryPrimitives.ReverseEndianness((ushort)port),
        Address = BinaryPrimitives.ReadUInt32LittleEndian(address.GetAddressBytes()),
    };

    /// <summary>The same address with another port (no allocation: it runs once a connection).</summary>
    public readonly SocketAddressIn WithPort(int port) => this with { Port = BinaryPrimitives.ReverseEndianness((ushort)port) };
}
