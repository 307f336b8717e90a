namespace Mnp.Policy.Compiler;

/// <summary>Orders prefixes IPv4 first, then by address bytes, then by prefix length: a stable, content-only order.</summary>
public sealed class IpNetworkOrder : IComparer<IPNetwork>
{
    public static IpNetworkOrder Instance { get; } = new();

    public int Compare(IPNetwork x, IPNetwork y)
    {
        var byFamily = x.BaseAddress.AddressFamily.CompareTo(y.BaseAddress.AddressFamily);
        if (byFamily != 0)
        {
            return byFamily;
        }

        Span<byte> left = stackalloc byte[16];
        Span<byte> right = stackalloc byte[16];
        x.BaseAddress.TryWriteBytes(left, out var leftLength);
        y.BaseAddress.TryWriteBytes(right, out var rightLength);
        var byAddress = left[..leftLength].SequenceCompareTo(right[..rightLength]);
        return byAddress != 0 ? byAddress : x.PrefixLength.CompareTo(y.PrefixLength);
    }
}
