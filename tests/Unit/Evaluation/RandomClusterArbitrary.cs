using FsCheck;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Evaluation;

/// <summary>Registers <see cref="RandomClusters"/> with FsCheck.Xunit's <c>[Property(Arbitrary = ...)]</c>.</summary>
public static class RandomClusterArbitrary
{
    public static Arbitrary<RandomCluster> Cluster() => RandomClusters.Arbitrary();
}
