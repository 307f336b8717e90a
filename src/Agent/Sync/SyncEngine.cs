using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mnp.Agent.Host;
using Mnp.Agent.Observability;
using Mnp.Agent.Reconcile;
using Mnp.Agent.Sources;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Sync;

/// <summary>
/// The one writer: holds the cache (a <see cref="ClusterSnapshotBuilder"/> fed with changes), knows which local
/// pods each change affects (<see cref="AffectedPodIndex"/>), and syncs them. An incremental pass compiles only the
/// affected pods and writes only those whose rules differ from what was last committed; a full pass (the periodic
/// resync) hands every local pod to the backend, which compares with the kernel and repairs drift. A failed pod is
/// retried with backoff. Nothing is synced before every source kind has been listed, so a half-loaded cache never
/// removes rules. Not thread-safe: one loop calls it.
/// </summary>
public sealed class SyncEngine
{
    private readonly ClusterSnapshotBuilder _builder;
    private readonly AffectedPodIndex _index;
    private readonly string? _node;
    private readonly PolicyOptions _options;
    private readonly IPodSyncer _syncer;
    private readonly TimeProvider _time;
    private readonly AgentMetrics _metrics;
    private readonly ILogger _logger;
    private readonly RetryBackoff _backoff;
    private readonly HashSet<string> _pendingKinds;
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Uid, PodRulesFingerprint Fingerprint)> _committed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Attempts, DateTimeOffset Due, string Reason)> _retries = new(StringComparer.Ordinal);
    private ClusterSnapshot _snapshot = ClusterSnapshot.Empty;
    private bool _snapshotStale = true;
    private bool _allDirty = true;
    private DateTimeOffset? _oldestUnsynced;

    public SyncEngine(
        IEnumerable<string> kinds, SnapshotInputOptions input, string? node, PolicyOptions options, IPodSyncer syncer,
        TimeProvider time, AgentMetrics metrics, ILogger logger, RetryBackoff? backoff = null)
    {
        _pendingKinds = [.. kinds];
        _builder = new ClusterSnapshotBuilder(input);
        _index = new AffectedPodIndex(node);
        _node = node;
        _options = options;
        _syncer = syncer;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _backoff = backoff ?? RetryBackoff.PodDefault;
    }

    /// <summary>Every kind has been listed at least once: the cache is complete and syncing is safe.</summary>
    public bool Listed => _pendingKinds.Count == 0;

    /// <summary>Some change has not been synced yet.</summary>
    public bool HasPending => _allDirty || _dirty.Count > 0;

    /// <summary>When the earliest failed pod is due again; null when none failed.</summary>
    public DateTimeOffset? NextRetry => _retries.Count == 0 ? null : _retries.Values.Min(r => r.Due);

    /// <summary>Pods whose last sync failed.</summary>
    public IReadOnlyCollection<string> FailingPods => _retries.Keys;

    /// <summary>The snapshot the last pass used.</summary>
    public ClusterSnapshot Snapshot => _snapshot;

    public void Apply(ClusterChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Kind == ClusterChangeKind.Listed)
        {
            _pendingKinds.Remove(change.Key.Kind);
            return;
        }

        _oldestUnsynced ??= change.Seen;
        _snapshotStale = true;
        var value = change.Kind == ClusterChangeKind.Remove ? null : change.Value;
        switch (value)
        {
            case null:
                _builder.Remove(change.Key);
                if (change.Kind == ClusterChangeKind.Upsert && !change.Problems.IsDefaultOrEmpty)
                {
                    // Unreadable object: its problems are reported, it contributes nothing.
                    SetProblemsOnly(change);
                }

                break;
            case ManifestObject manifest:
                _builder.Apply(manifest);
                break;
            case PodInfo pod:
                _builder.SetPod(pod, change.Problems);
                break;
            case NamespaceInfo ns:
                _builder.SetNamespace(ns);
                break;
            case NetworkAttachmentInfo network:
                _builder.SetNetwork(network, change.Problems);
                break;
            case Mnp.Policy.Spec.PolicyInfo policy:
                _builder.SetPolicy(policy, change.Problems);
                break;
            default:
                throw new ArgumentException($"{change.Key}: {value.GetType().Name} is not a cluster object", nameof(change));
        }

        // While every pod is to be synced anyway (before the first pass, after a NAD change) only the values are kept.
        if (!_index.Record(change.Key, value, _allDirty ? null : _dirty))
        {
            _allDirty = true;
        }
    }

    /// <summary>
    /// One pass: incremental (<paramref name="full"/> false) writes the affected and due-for-retry pods whose rules
    /// changed; full hands every local pod to the backend. Returns <see cref="SyncPass.Skipped"/> before every kind is listed.
    /// </summary>
    public async Task<SyncPass> SyncAsync(bool full, CancellationToken cancellationToken)
    {
        if (!Listed)
        {
            return SyncPass.Skipped;
        }

        var clock = Stopwatch.StartNew();
        var now = _time.GetUtcNow();
        if (_snapshotStale)
        {
            _snapshot = _builder.Build();
            _snapshotStale = false;
            PublishPolicies(_snapshot);
        }

        var local = _snapshot.Pods.Where(p => p.IsPolicyEndpoint && (_node is null || p.NodeName == _node)).ToList();
        var localKeys = local.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Forget(localKeys);
        var wanted = full || _allDirty
            ? local
            : local.Where(p => _dirty.Contains(p.Key) || (_retries.TryGetValue(p.Key, out var r) && r.Due <= now)).ToList();
        var seen = _oldestUnsynced;
        _dirty.Clear();
        _allDirty = false;
        _oldestUnsynced = null;

        var compiled = PolicyCompiler.CompilePods(_snapshot, wanted, _options);
        var results = ImmutableArray.CreateBuilder<PodSyncResult>();
        foreach (var pod in wanted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rules = compiled[pod.Key];
            var fingerprint = PodRulesFingerprint.Of(rules, _options);
            if (!full && !_retries.ContainsKey(pod.Key)
                && _committed.TryGetValue(pod.Key, out var last) && last.Uid == pod.Uid && last.Fingerprint == fingerprint)
            {
                continue; // same rules as committed: no kernel work
            }

            results.Add(await SyncOneAsync(pod, rules, fingerprint, seen, cancellationToken).ConfigureAwait(false));
        }

        var pass = new SyncPass(full, results.ToImmutable(), clock.Elapsed);
        _metrics.RecordSync(pass.Elapsed, full, pass.Failures == 0);
        if (_retries.Count == 0)
        {
            _metrics.SetLastSuccess(_time.GetUtcNow());
        }

        _metrics.SetState(_retries.Count, _committed.Count, _committed.Values.Sum(c => c.Fingerprint.Chains), _retries.Values.Count(r => r.Reason == "netns_unresolved"));
        if (pass.Pods.Length > 0 || full)
        {
            AgentLog.SyncPassDone(_logger, full ? "full" : "incremental", pass.Pods.Length, pass.Failures, local.Count, (long)pass.Elapsed.TotalMilliseconds);
        }

        return pass;
    }

    private async Task<PodSyncResult> SyncOneAsync(PodInfo pod, PodRules? rules, PodRulesFingerprint fingerprint, DateTimeOffset? seen, CancellationToken cancellationToken)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["namespace"] = pod.Namespace, ["pod"] = pod.Name, ["podUID"] = pod.Uid });
        var result = await _syncer.SyncPodAsync(pod, rules, cancellationToken).ConfigureAwait(false);
        _metrics.RecordPodApply(result.Elapsed);
        if (result.Outcome == PodSyncOutcome.Failed)
        {
            var attempts = _retries.TryGetValue(pod.Key, out var retry) ? retry.Attempts + 1 : 1;
            var delay = _backoff.Delay(attempts);
            var reason = _syncer.FailureReason(pod);
            _retries[pod.Key] = (attempts, _time.GetUtcNow() + delay, reason);
            _metrics.RecordFailure(reason);
            AgentLog.PodSyncFailed(_logger, pod.Namespace, pod.Name, reason, attempts, (long)delay.TotalMilliseconds, result.Error ?? "unknown error");
            return result;
        }

        _retries.Remove(pod.Key);
        _committed[pod.Key] = (pod.Uid, fingerprint);
        if (seen is { } first)
        {
            _metrics.RecordProgramming(_time.GetUtcNow() - first);
        }

        if (result.Outcome == PodSyncOutcome.Committed)
        {
            AgentLog.PodRulesCommitted(_logger, pod.Namespace, pod.Name, result.Rules, (long)result.Elapsed.TotalMilliseconds);
        }

        return result;
    }

    /// <summary>Pods that are no longer local endpoints (deleted, moved, stopped): their namespace and rules go with them.</summary>
    private void Forget(HashSet<string> localKeys)
    {
        foreach (var key in _committed.Keys.Where(k => !localKeys.Contains(k)).ToList())
        {
            _committed.Remove(key);
        }

        foreach (var key in _retries.Keys.Where(k => !localKeys.Contains(k)).ToList())
        {
            _retries.Remove(key);
        }
    }

    private void PublishPolicies(ClusterSnapshot snapshot)
    {
        var invalid = snapshot.Problems.Where(p => p.Kind == ManifestKinds.MultiNetworkPolicy).Select(p => $"{p.Namespace}/{p.Name}")
            .Concat(snapshot.Policies.Where(p => p.Spec is null).Select(p => p.Key))
            .ToHashSet(StringComparer.Ordinal);
        _metrics.SetPolicies(snapshot.Policies.Count(p => !invalid.Contains(p.Key)), invalid.Count);
    }

    private void SetProblemsOnly(ClusterChange change)
    {
        // The builder keeps problems with a value; an object that did not parse at all is logged instead.
        foreach (var problem in change.Problems)
        {
            AgentLog.ObjectIgnored(_logger, problem.ToString());
        }
    }
}
