using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Support.E2e;

/// <summary>
/// One traffic case: <see cref="Setup"/> builds the cluster (namespaces, NADs, pods), <see cref="Pods"/> are the
/// probed pods (every ordered pair of distinct ones; loopback ignored), probed on <see cref="Network"/> in
/// <see cref="Family"/>, after each of <see cref="Steps"/>.
/// </summary>
public sealed record E2eCase(
    string Name,
    ImmutableArray<string> Pods,
    Action<TestCluster> Setup,
    NetworkRef Network,
    IpFamily Family,
    ImmutableArray<E2eStep> Steps)
{
    public override string ToString() => Name;
}
