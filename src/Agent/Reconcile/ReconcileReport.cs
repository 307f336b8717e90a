using System.Collections.Immutable;

namespace Mnp.Agent.Reconcile;

/// <summary>What one reconcile pass did, pod by pod.</summary>
public sealed record ReconcileReport(ImmutableArray<PodSyncResult> Pods)
{
    public IEnumerable<PodSyncResult> Failures => Pods.Where(p => p.Outcome == PodSyncOutcome.Failed);
}
