using System.Buffers.Binary;
using System.Net.Sockets;

namespace Mnp.Policy.Compiler;

/// <summary>Orders prefixes IPv4 first, then by address bytes, then by prefix length: a stable, content-only order.</summary>
public sealed class IpNetworkOrder : IComparer<IPNetwork>
{
    public static IpNetworkOrder Instance { get; } = new();

    public int Compare(IPNetwork x, IPNetwork y) => Key(x).CompareTo(Key(y));

    /// <summary>A sort key with the same order: family bit, then the address as a 128-bit number, then the prefix.</summary>
    internal static (int Family, UInt128 Address, int Prefix) Key(IPNetwork network)
    {
        Span<byte> bytes = stackalloc byte[16];
        network.BaseAddress.TryWriteBytes(bytes, out var length);
        var value = length == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 0 : 1, value, network.PrefixLength);
    }
}
