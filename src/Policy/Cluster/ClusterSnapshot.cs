using Mnp.Policy.Spec;

namespace Mnp.Policy.Cluster;

/// <summary>An immutable view of everything the engine needs, plus the problems found while building it.</summary>
public sealed record ClusterSnapshot(
    ImmutableArray<NamespaceInfo> Namespaces,
    ImmutableArray<PodInfo> Pods,
    ImmutableArray<NetworkAttachmentInfo> Networks,
    ImmutableArray<PolicyInfo> Policies,
    ImmutableArray<Problem> Problems)
{
    public static ClusterSnapshot Empty { get; } = new([], [], [], [], []);
}
