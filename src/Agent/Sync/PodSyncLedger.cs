using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Sync;

/// <summary>
/// What the engine holds of each local pod's last sync: the fingerprint and chain count of the rules committed, or the
/// retry due after a failure (with backoff). It tells when a pod's rules are those committed (no kernel work), and keeps
/// the total of our chains that the managed-chains gauge reads, counted only when a pod's rules change. Not thread-safe:
/// owned by the sync loop.
/// </summary>
internal sealed class PodSyncLedger(RetryBackoff backoff)
{
    private readonly Dictionary<string, Committed> _committed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Retry> _retries = new(StringComparer.Ordinal);

    /// <summary>Pods whose rules are committed.</summary>
    public int CommittedPods => _committed.Count;

    /// <summary>Our chains in the committed rules of every pod, both families.</summary>
    public int Chains { get; private set; }

    /// <summary>Pods whose last sync failed.</summary>
    public IReadOnlyCollection<string> FailingPods => _retries.Keys;

    /// <summary>When the earliest failed pod is due again; null when none failed.</summary>
    public DateTimeOffset? NextRetry => _retries.Count == 0 ? null : _retries.Values.Min(r => r.Due);

    /// <summary>Failed pods whose retry is due at <paramref name="now"/>.</summary>
    public IEnumerable<string> Due(DateTimeOffset now) => _retries.Where(r => r.Value.Due <= now).Select(r => r.Key);

    /// <summary>Failed pods whose failure had this reason.</summary>
    public int FailingWith(string reason) => _retries.Values.Count(r => r.Reason == reason);

    /// <summary>The pod (same UID) holds exactly these rules and is not waiting for a retry.</summary>
    public bool Holds(PodInfo pod, PodRulesFingerprint fingerprint) =>
        !_retries.ContainsKey(pod.Key) && _committed.TryGetValue(pod.Key, out var last) && last.Uid == pod.Uid && last.Fingerprint == fingerprint;

    public void Succeeded(PodInfo pod, PodRules? rules, PodRulesFingerprint fingerprint)
    {
        _retries.Remove(pod.Key);
        var held = _committed.TryGetValue(pod.Key, out var last);
        var chains = held && last.Fingerprint == fingerprint ? last.Chains : ChainsOf(rules);
        Chains += chains - (held ? last.Chains : 0);
        _committed[pod.Key] = new Committed(pod.Uid, fingerprint, chains);
    }

    /// <summary>Schedules the pod's next attempt; returns its number and the delay until it.</summary>
    public (int Attempts, TimeSpan Delay) Failed(string pod, string reason, DateTimeOffset now)
    {
        var attempts = _retries.TryGetValue(pod, out var retry) ? retry.Attempts + 1 : 1;
        var delay = backoff.Delay(attempts);
        _retries[pod] = new Retry(attempts, now + delay, reason);
        return (attempts, delay);
    }

    /// <summary>Pods that are no longer local endpoints (deleted, moved, stopped): their namespace and rules go with them.</summary>
    public void Forget(IReadOnlyDictionary<string, PodInfo> local)
    {
        // Removing while enumerating a Dictionary is allowed (it never reallocates on removal).
        foreach (var (key, committed) in _committed)
        {
            if (!local.ContainsKey(key))
            {
                _committed.Remove(key);
                Chains -= committed.Chains;
            }
        }

        foreach (var key in _retries.Keys)
        {
            if (!local.ContainsKey(key))
            {
                _retries.Remove(key);
            }
        }
    }

    private static int ChainsOf(PodRules? rules) => rules is null ? 0
        : TableRenderer.OwnedChainCount(rules, IpFamily.V4) + TableRenderer.OwnedChainCount(rules, IpFamily.V6);

    private readonly record struct Committed(string Uid, PodRulesFingerprint Fingerprint, int Chains);

    private readonly record struct Retry(int Attempts, DateTimeOffset Due, string Reason);
}
