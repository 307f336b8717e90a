using System.Collections.Immutable;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;

namespace Mnp.Agent.Sources;

/// <summary>
/// One watch event, already trimmed to what the engine keeps: <see cref="Value"/> is a <see cref="PodInfo"/>,
/// <see cref="NamespaceInfo"/>, <see cref="NetworkAttachmentInfo"/> or <see cref="Mnp.Policy.Spec.PolicyInfo"/>
/// (null for a Remove, for Listed, and for an object that did not parse: its problems are then all there is).
/// <see cref="Seen"/> is when the source received it, for event-to-commit latency.
/// </summary>
public sealed record ClusterChange(ClusterChangeKind Kind, ObjectKey Key, object? Value, ImmutableArray<Problem> Problems, DateTimeOffset Seen)
{
    public static ClusterChange Listed(string kind, DateTimeOffset seen) => new(ClusterChangeKind.Listed, new ObjectKey(kind, string.Empty, string.Empty), null, [], seen);

    public static ClusterChange Removed(ObjectKey key, DateTimeOffset seen) => new(ClusterChangeKind.Remove, key, null, [], seen);
}
