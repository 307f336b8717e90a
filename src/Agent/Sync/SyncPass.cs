using System.Collections.Immutable;
using Mnp.Agent.Reconcile;

namespace Mnp.Agent.Sync;

/// <summary>What one sync pass did: the pods it wrote (or tried to), in order; a pod whose rules did not change is not in it.</summary>
public sealed record SyncPass(bool Full, ImmutableArray<PodSyncResult> Pods, TimeSpan Elapsed)
{
    public static SyncPass Skipped { get; } = new(false, [], TimeSpan.Zero);

    public int Failures => Pods.Count(p => p.Outcome == PodSyncOutcome.Failed);
}
