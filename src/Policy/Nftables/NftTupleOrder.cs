using System.Buffers.Binary;

namespace Mnp.Policy.Nftables;

/// <summary>
/// nft's listing order of concatenated elements: the key bytes (address, protocol padded to 4, port big-endian padded
/// to 4) compared as one little-endian number, so from the last byte back: the port's low byte, its high byte, the
/// protocol, then the address from its last byte to its first.
/// </summary>
public sealed class NftTupleOrder : IComparer<NftConcatKey>
{
    private readonly bool _v6;

    private NftTupleOrder(bool v6) => _v6 = v6;

    public static NftTupleOrder V4 { get; } = new(false);

    public static NftTupleOrder V6 { get; } = new(true);

    public int Compare(NftConcatKey x, NftConcatKey y)
    {
        var order = (x.Port & 0xff).CompareTo(y.Port & 0xff);
        if (order == 0)
        {
            order = (x.Port >> 8).CompareTo(y.Port >> 8);
        }

        if (order == 0)
        {
            order = x.Protocol.CompareTo(y.Protocol);
        }

        return order != 0 ? order : Reversed(x.Address).CompareTo(Reversed(y.Address));
    }

    private UInt128 Reversed(UInt128 address) => _v6 ? BinaryPrimitives.ReverseEndianness(address) : BinaryPrimitives.ReverseEndianness((uint)address);
}
