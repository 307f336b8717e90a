using Mnp.Agent.Reconcile;
using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Sync;

/// <summary>Makes one local pod's rules equal to <c>rules</c> (null: none of ours). The reconciler is the real one; tests fake it.</summary>
public interface IPodSyncer
{
    Task<PodSyncResult> SyncPodAsync(PodInfo pod, PodRules? rules, CancellationToken cancellationToken);

    /// <summary>Why the last failed sync of <paramref name="pod"/> failed, as a metric label (e.g. <c>netns_unresolved</c>).</summary>
    string FailureReason(PodInfo pod);
}
