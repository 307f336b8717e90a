namespace Mnp.Policy.Nftables;

/// <summary>
/// A named set of our table. One field (addresses, ports): an interval set of sorted, disjoint, non-adjacent
/// inclusive ranges in <see cref="Elements"/>. A concatenation (address . protocol . port): a hash set of exact
/// <see cref="Tuples"/>, sorted as nft lists them (<see cref="SortTuples"/>).
/// </summary>
public sealed record NftSet(string Name, NftSetKeyType KeyType, ImmutableArray<NftInterval> Elements)
{
    /// <summary>The elements of a concatenated set (empty for a one-field set).</summary>
    public ImmutableArray<NftConcatKey> Tuples { get; init; } = [];

    public bool IsConcatenation => KeyType is NftSetKeyType.Ipv4ProtoService or NftSetKeyType.Ipv6ProtoService;

    /// <summary>Key length in bytes (a concatenation pads every field to 4).</summary>
    public int KeyLength => KeyType switch
    {
        NftSetKeyType.Ipv4Address => 4,
        NftSetKeyType.Ipv6Address => 16,
        NftSetKeyType.Ipv4ProtoService => 12,
        NftSetKeyType.Ipv6ProtoService => 24,
        _ => 2,
    };

    /// <summary>The address field's length of a concatenation.</summary>
    public int AddressLength => KeyType == NftSetKeyType.Ipv6ProtoService ? 16 : 4;

    public bool Contains(NftConcatKey key) => Tuples.BinarySearch(key, Order) >= 0;

    private NftTupleOrder Order => KeyType == NftSetKeyType.Ipv6ProtoService ? NftTupleOrder.V6 : NftTupleOrder.V4;

    /// <summary>
    /// nft lists a concatenated set's elements ordered by the key read as one little-endian number (its last
    /// byte most significant): port first (its low byte before its high byte), then protocol, then the address from its last byte.
    /// </summary>
    public static ImmutableArray<NftConcatKey> SortTuples(IEnumerable<NftConcatKey> tuples, bool v6)
    {
        var sorted = tuples.Distinct().ToList();
        sorted.Sort(v6 ? NftTupleOrder.V6 : NftTupleOrder.V4);
        return [.. sorted];
    }

    /// <summary>The largest key: the top of the address or port space.</summary>
    public UInt128 MaxKey => KeyLength == 16 ? UInt128.MaxValue : (UInt128.One << (KeyLength * 8)) - 1;

    public bool Contains(UInt128 key)
    {
        var elements = Elements.AsSpan();
        var low = 0;
        var high = elements.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (key < elements[middle].First)
            {
                high = middle - 1;
            }
            else if (key > elements[middle].Last)
            {
                low = middle + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(NftSet? other) =>
        other is not null && Name == other.Name && KeyType == other.KeyType && Elements.SequenceEqual(other.Elements) && Tuples.SequenceEqual(other.Tuples);

    public override int GetHashCode() => HashCode.Combine(Name, KeyType, Elements.Length);
}
