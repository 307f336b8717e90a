using System.Globalization;
using System.Text;

namespace Mnp.Policy.Nftables;

/// <summary>One protocol's ports of an allowance: every port (<see cref="Ranges"/> empty) or merged disjoint ranges.</summary>
internal readonly record struct NftPortCondition(int Protocol, ImmutableArray<NftInterval> Ranges)
{
    /// <summary>Equal for equal conditions (the record's own equality compares the array by reference).</summary>
    public string Key
    {
        get
        {
            var key = new StringBuilder(8 + (Ranges.Length * 10)).Append(Protocol).Append(':');
            foreach (var range in Ranges)
            {
                key.Append(range.First.ToString(CultureInfo.InvariantCulture)).Append('-').Append(range.Last.ToString(CultureInfo.InvariantCulture)).Append(',');
            }

            return key.ToString();
        }
    }
}
