using Mnp.Policy.Cluster;

namespace Mnp.Policy.Input;

/// <summary>One object in the builder: its parsed form (null when it did not deserialise), its problems and its manifest.</summary>
internal sealed record SnapshotEntry(object? Value, ImmutableArray<Problem> Problems, ManifestObject? Manifest);
