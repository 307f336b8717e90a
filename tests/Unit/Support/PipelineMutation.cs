using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Unit.Support;

/// <summary>
/// A deliberate bug planted in the compile -> render pipeline, for tests that show the agreement property catches
/// bugs: the snapshot the compiler sees, the compiled rules, or the rendered table may each be rewritten.
/// The evaluator never sees a mutation. <see cref="NftTable"/> rewrites the nftables model (the nftables pipeline).
/// </summary>
public sealed record PipelineMutation(
    string Name,
    Func<ClusterSnapshot, ClusterSnapshot>? Snapshot = null,
    Func<PodRules, PodRules>? Rules = null,
    Func<NetfilterTable, NetfilterTable>? Table = null,
    Func<NftTable, NftTable>? NftTable = null)
{
    public override string ToString() => Name;
}
