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

        matches.Sort(Compare);
        var result = ImmutableArray.CreateBuilder<PeerMatch>(matches.Count);
        foreach (var match in matches)
        {
            if (result.Count == 0 || Compare(result[^1], match) != 0)
            {
                result.Add(match);
            }
        }

        return result.ToImmutable();
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
