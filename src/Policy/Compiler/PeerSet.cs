using Mnp.Policy.Rules;

namespace Mnp.Policy.Compiler;

/// <summary>Puts peer matches into canonical form: excepts sorted and distinct, matches sorted and distinct.</summary>
internal static class PeerSet
{
    public static ImmutableArray<PeerMatch> Normalize(List<PeerMatch> matches)
    {
        if (matches.Count == 0)
        {
            return [];
        }

        for (var i = 0; i < matches.Count; i++)
        {
            var except = matches[i].Except;
            if (except.Length > 1)
            {
                matches[i] = matches[i] with { Except = [.. except.Distinct().Order(IpNetworkOrder.Instance)] };
            }
            else if (except.IsDefaultOrEmpty)
            {
                // One shared empty array, so that record equality of PeerMatch works on content.
                matches[i] = matches[i] with { Except = [] };
            }
        }

        // Keys are computed once per match: comparing IPNetworks directly would re-read address bytes per comparison.
        var keys = new SortKey[matches.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = new SortKey(IpNetworkOrder.Key(matches[i].Cidr), matches[i]);
        }

        Array.Sort(keys);
        var result = ImmutableArray.CreateBuilder<PeerMatch>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            if (i == 0 || keys[i].CompareTo(keys[i - 1]) != 0)
            {
                result.Add(keys[i].Match);
            }
        }

        return result.ToImmutable();
    }

    private readonly record struct SortKey((int Family, UInt128 Address, int Prefix) Cidr, PeerMatch Match) : IComparable<SortKey>
    {
        public int CompareTo(SortKey other)
        {
            var byCidr = Cidr.CompareTo(other.Cidr);
            return byCidr != 0 || (Match.Except.IsEmpty && other.Match.Except.IsEmpty) ? byCidr : Compare(Match, other.Match);
        }
    }

    private static int Compare(PeerMatch? x, PeerMatch? y)
    {
        var byCidr = IpNetworkOrder.Instance.Compare(x!.Cidr, y!.Cidr);
        if (byCidr != 0)
        {
            return byCidr;
        }

        var byCount = x.Except.Length.CompareTo(y.Except.Length);
        if (byCount != 0)
        {
            return byCount;
        }

        for (var i = 0; i < x.Except.Length; i++)
        {
            var byExcept = IpNetworkOrder.Instance.Compare(x.Except[i], y.Except[i]);
            if (byExcept != 0)
            {
                return byExcept;
            }
        }

        return 0;
    }
}
