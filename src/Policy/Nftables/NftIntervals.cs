using System.Buffers.Binary;
using System.Net.Sockets;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Nftables;

/// <summary>
/// Address and port ranges as set intervals. An ipBlock minus its <c>except</c> is an exact list of disjoint
/// ranges, so no extra chain is needed; the union over a rule's peers is merged (overlapping and adjacent ranges
/// become one), which is what the kernel's interval sets require (overlaps are refused with EEXIST).
/// </summary>
public static class NftIntervals
{
    public static UInt128 ToKey(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException($"address {address} has no byte form", nameof(address));
        }

        return written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static IPAddress ToAddress(UInt128 key, bool v6)
    {
        if (!v6)
        {
            Span<byte> four = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(four, (uint)key);
            return new IPAddress(four);
        }

        Span<byte> sixteen = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(sixteen, key);
        return new IPAddress(sixteen);
    }

    /// <summary>The inclusive range a prefix covers.</summary>
    public static NftInterval Of(IPNetwork network)
    {
        var bits = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var first = ToKey(network.BaseAddress);
        var hostBits = bits - network.PrefixLength;
        var span = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        return new NftInterval(first, first + span);
    }

    /// <summary>Appends <c>cidr − except</c> as disjoint ranges.</summary>
    public static void AddPeer(PeerMatch peer, List<NftInterval> into)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(into);
        var pieces = new List<NftInterval> { Of(peer.Cidr) };
        foreach (var excluded in peer.Except)
        {
            var cut = Of(excluded);
            var next = new List<NftInterval>(pieces.Count + 1);
            foreach (var piece in pieces)
            {
                if (cut.Last < piece.First || cut.First > piece.Last)
                {
                    next.Add(piece);
                    continue;
                }

                if (cut.First > piece.First)
                {
                    next.Add(new NftInterval(piece.First, cut.First - 1));
                }

                if (cut.Last < piece.Last)
                {
                    next.Add(new NftInterval(cut.Last + 1, piece.Last));
                }
            }

            pieces = next;
        }

        into.AddRange(pieces);
    }

    /// <summary>Sorts and merges overlapping and adjacent ranges.</summary>
    public static ImmutableArray<NftInterval> Normalize(List<NftInterval> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        ranges.Sort((a, b) => a.First.CompareTo(b.First));
        var merged = ImmutableArray.CreateBuilder<NftInterval>(ranges.Count);
        foreach (var range in ranges)
        {
            if (merged.Count > 0)
            {
                var last = merged[^1];
                if (last.Last == UInt128.MaxValue || range.First <= last.Last + 1)
                {
                    merged[^1] = last with { Last = range.Last > last.Last ? range.Last : last.Last };
                    continue;
                }
            }

            merged.Add(range);
        }

        return merged.ToImmutable();
    }
}
