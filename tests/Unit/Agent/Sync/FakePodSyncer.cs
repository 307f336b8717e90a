using Mnp.Agent.Reconcile;
using Mnp.Agent.Sync;
using Mnp.Native.Backends;
using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Unit.Agent.Sync;

/// <summary>A backend stand-in: records every pod handed to it with its rules; pods in <see cref="Failing"/> fail.</summary>
internal sealed class FakePodSyncer : IPodSyncer
{
    public List<(string Pod, PodRules? Rules)> Calls { get; } = [];

    public HashSet<string> Failing { get; } = new(StringComparer.Ordinal);

    public string Reason { get; set; } = "netns_unresolved";

    public IReadOnlyList<string> Written => [.. Calls.Select(c => c.Pod).Order(StringComparer.Ordinal)];

    public Task<PodSyncResult> SyncPodAsync(PodInfo pod, PodRules? rules, CancellationToken cancellationToken)
    {
        Calls.Add((pod.Key, rules));
        return Task.FromResult(Failing.Contains(pod.Key)
            ? new PodSyncResult(pod.Key, PodSyncOutcome.Failed, 0, TimeSpan.FromMilliseconds(1), new PodSyncFailure(PodSyncFailureReason.NamespaceNotFound, pod.Key, "no namespace", FailClosedOutcome.KeptPrevious))
            : new PodSyncResult(pod.Key, PodSyncOutcome.Committed, 1, TimeSpan.FromMilliseconds(1), null)
            {
                Transactions =
                [
                    new BackendTransaction("IPv4 filter", ApplyOutcome.Committed, 1, 1, TimeSpan.FromMilliseconds(1), TimeSpan.Zero),
                    new BackendTransaction("IPv6 filter", ApplyOutcome.Unchanged, 0, 1, TimeSpan.FromMilliseconds(1), TimeSpan.Zero),
                ],
            });
    }

    public string FailureReason(PodInfo pod) => Reason;

    public void Clear() => Calls.Clear();
}
