using Mnp.Agent.Reconcile;
using Mnp.Agent.Sync;
using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;

namespace Mnp.Bench;

/// <summary>The fake backend of the agent benchmark: counts the pods handed to it and commits instantly.</summary>
internal sealed class AgentCountingSyncer : IPodSyncer
{
    public int Written { get; set; }

    public Task<PodSyncResult> SyncPodAsync(PodInfo pod, PodRules? rules, CancellationToken cancellationToken)
    {
        Written++;
        return Task.FromResult(new PodSyncResult(pod.Key, PodSyncOutcome.Committed, 0, TimeSpan.Zero, null));
    }

    public string FailureReason(PodInfo pod) => "commit_failed";
}
