using Mnp.Policy.Cluster;

namespace Mnp.Policy.Compiler;

/// <summary>Orders pods by namespace then name (ordinal), the compiler's output order.</summary>
internal sealed class PodOrder : IComparer<PodInfo>
{
    public static PodOrder Instance { get; } = new();

    public int Compare(PodInfo? x, PodInfo? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var byNamespace = string.CompareOrdinal(x.Namespace, y.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(x.Name, y.Name);
    }
}
