namespace Mnp.Tests.Unit.Support;

/// <summary>A random cluster with its pod-to-pod flows plus flows between its pods and external addresses.</summary>
public sealed record AgreementCase(RandomCluster Cluster, ImmutableArray<ExternalFlow> External)
{
    public override string ToString() => Cluster + "\n" + string.Join("\n", External.Select(f => $"external {f}"));
}
