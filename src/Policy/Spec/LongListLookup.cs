using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace Mnp.Policy.Spec;

/// <summary>
/// Membership in a list that belongs to an immutable object, in constant time however long the input made the list:
/// policy-for names and selector values are asked about once per pod (or per decision), so a scan of 100,000
/// entries made compile and matrix quadratic. Short lists are scanned; a long one gets a set, built once per owner.
/// </summary>
internal static class LongListLookup<TOwner, T>
    where TOwner : class
    where T : notnull
{
    private const int ScanUpTo = 16;
    private static readonly ConditionalWeakTable<TOwner, FrozenSet<T>> Sets = [];

    public static bool Contains(TOwner owner, ImmutableArray<T> items, T item)
    {
        if (items.Length <= ScanUpTo)
        {
            return items.Contains(item);
        }

        if (!Sets.TryGetValue(owner, out var set))
        {
            set = Sets.GetValue(owner, _ => items.ToFrozenSet());
        }

        return set.Contains(item);
    }
}
