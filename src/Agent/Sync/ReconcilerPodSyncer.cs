using Mnp.Agent.Reconcile;
using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Sync;

/// <summary>The agent's <see cref="IPodSyncer"/>: the shared <see cref="RuleReconciler"/>, with the resolver's failures told apart from commit failures.</summary>
public sealed class ReconcilerPodSyncer(RuleReconciler reconciler, TrackingNetnsResolver resolver) : IPodSyncer
{
    public Task<PodSyncResult> SyncPodAsync(PodInfo pod, PodRules? rules, CancellationToken cancellationToken) =>
        reconciler.SyncPodAsync(pod, rules, cancellationToken);

    public string FailureReason(PodInfo pod) => resolver.LastFailed(pod) ? "netns_unresolved" : "commit_failed";
}
