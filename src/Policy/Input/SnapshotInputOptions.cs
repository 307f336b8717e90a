namespace Mnp.Policy.Input;

/// <summary>
/// How objects are read: from a live cluster (the API server filled in phase and namespace labels)
/// or from hand-written manifests (a Pod without status.phase is Running, a Namespace gets its
/// <c>kubernetes.io/metadata.name</c> label, and namespaces that objects live in exist implicitly).
/// </summary>
public sealed record SnapshotInputOptions(
    bool AssumeRunningWhenPhaseMissing,
    bool AddNamespaceNameLabel,
    bool ImplicitNamespaces,
    string DefaultNamespace = "default")
{
    /// <summary>For the agent: objects as the API server stores them.</summary>
    public static SnapshotInputOptions Cluster { get; } = new(false, false, false);

    /// <summary>For the pure verbs and the lab: hand-written manifests.</summary>
    public static SnapshotInputOptions Manifests { get; } = new(true, true, true);
}
