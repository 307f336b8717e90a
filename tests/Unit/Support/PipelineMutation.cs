using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Unit.Support;

/// <summary>
/// A deliberate bug planted in the compile -> render pipeline, for tests that show the agreement property catches
/// bugs: the snapshot the compiler sees, the compiled rules, or the rendered table may each be rewritten.
/// The evaluator never sees a mutation.
/// </summary>
public sealed record PipelineMutation(
    string Name,
    Func<ClusterSnapshot, ClusterSnapshot>? Snapshot = null,
    Func<PodRules, PodRules>? Rules = null,
    Func<NetfilterTable, NetfilterTable>? Table = null)
{
    public override string ToString() => Name;
}
