namespace Mnp.Agent.Sources;

/// <summary>
/// Where the cluster comes from (the Kubernetes API, a manifests folder): a stream of changes that, applied in
/// order to an empty cache, gives the current cluster. A source reports <see cref="ClusterChangeKind.Listed"/> once
/// per kind of <see cref="Kinds"/> when its first complete view is out. It never reports objects as removed
/// because it cannot reach them: an unreachable API means no events, and the cache stays as it was.
/// </summary>
public interface IClusterSource
{
    /// <summary>The kinds this source lists (readiness waits for every one).</summary>
    IReadOnlyCollection<string> Kinds { get; }

    /// <summary>Changes until <paramref name="cancellationToken"/> is cancelled.</summary>
    IAsyncEnumerable<ClusterChange> WatchAsync(CancellationToken cancellationToken);
}
