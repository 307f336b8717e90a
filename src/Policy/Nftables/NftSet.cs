namespace Mnp.Policy.Nftables;

/// <summary>A named interval set of our table: sorted, disjoint, non-adjacent inclusive ranges.</summary>
public sealed record NftSet(string Name, NftSetKeyType KeyType, ImmutableArray<NftInterval> Elements)
{
    /// <summary>Key length in bytes.</summary>
    public int KeyLength => KeyType switch
    {
        NftSetKeyType.Ipv4Address => 4,
        NftSetKeyType.Ipv6Address => 16,
        _ => 2,
    };

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
        other is not null && Name == other.Name && KeyType == other.KeyType && Elements.SequenceEqual(other.Elements);

    public override int GetHashCode() => HashCode.Combine(Name, KeyType, Elements.Length);
}
