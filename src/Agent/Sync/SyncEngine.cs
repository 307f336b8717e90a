using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mnp.Agent.Observability;
using Mnp.Agent.Observability.Events;
using Mnp.Agent.Reconcile;
using Mnp.Agent.Sources;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Agent.Sync;

/// <summary>
/// The one writer: holds the cache (an <see cref="IncrementalCompiler"/> whose index each change updates in place,
/// with compacted pods), knows which local pods each change affects (<see cref="AffectedPodIndex"/>), and syncs them.
/// An incremental pass compiles only the affected pods and writes only those whose rules differ from what was last
/// committed; a full pass (the periodic resync) hands every local pod to the backend, which compares with the kernel
/// and repairs drift. A failed pod is retried with backoff. Nothing is synced before every source kind has been
/// listed, so a half-loaded cache never removes rules. Manifest files (not trimmed by their source) are kept in a
/// <see cref="ClusterSnapshotBuilder"/> and loaded whole after a change. Not thread-safe: one loop calls it.
/// </summary>
public sealed class SyncEngine
{
    private readonly SnapshotInputOptions _input;
    private readonly string? _node;
    private readonly PolicyOptions _options;
    private readonly IPodSyncer _syncer;
    private readonly TimeProvider _time;
    private readonly AgentMetrics _metrics;
    private readonly ILogger _logger;
    private readonly HashSet<string> _pendingKinds;
    private readonly PodCompactor _compactor = new();
    private readonly SyncProblems _problems = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly PodSyncLedger _ledger;
    private readonly List<PodInfo> _wanted = [];
    private IncrementalCompiler _compiler;
    private AffectedPodIndex _index;
    private ClusterSnapshotBuilder? _manifests;
    private bool _reload;
    private bool _allDirty = true;
    private bool _policiesChanged = true;
    private DateTimeOffset? _oldestUnsynced;

    public SyncEngine(
        IEnumerable<string> kinds, SnapshotInputOptions input, string? node, PolicyOptions options, IPodSyncer syncer,
        TimeProvider time, AgentMetrics metrics, ILogger logger, RetryBackoff? backoff = null)
    {
        _pendingKinds = [.. kinds];
        _input = input;
        _compiler = new IncrementalCompiler(options);
        _index = new AffectedPodIndex(node);
        _node = node;
        _options = options;
        _syncer = syncer;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _ledger = new PodSyncLedger(backoff ?? RetryBackoff.PodDefault);
    }

    /// <summary>Every kind has been listed at least once: the cache is complete and syncing is safe.</summary>
    public bool Listed => _pendingKinds.Count == 0;

    /// <summary>Some change has not been synced yet.</summary>
    public bool HasPending => _allDirty || _dirty.Count > 0;

    /// <summary>When the earliest failed pod is due again; null when none failed.</summary>
    public DateTimeOffset? NextRetry => _ledger.NextRetry;

    /// <summary>Pods whose last sync failed.</summary>
    public IReadOnlyCollection<string> FailingPods => _ledger.FailingPods;

    /// <summary>The pod the cache holds under <c>namespace/name</c> (compacted), or null.</summary>
    public PodInfo? Pod(string key) => _compiler.TryGetPod(key, out var pod) ? pod : null;

    /// <summary>The cache as a snapshot (built on demand: for tests and diagnostics, not for the sync path).</summary>
    public ClusterSnapshot Snapshot => new(
        [.. _compiler.Namespaces.OrderBy(n => n.Name, StringComparer.Ordinal)],
        [.. _compiler.Pods.Values.OrderBy(p => p.Key, StringComparer.Ordinal)],
        [.. _compiler.Networks.OrderBy(n => n.Ref)],
        [.. _compiler.Policies],
        [.. _problems.Objects]);

    /// <summary>What the Events reporter reads after a pass: the problems held, the node's pods and the policies.</summary>
    public EventInputs EventInputs => new(
        _problems.All,
        _index.LocalPods.Values,
        key => _compiler.TryGetPod(key, out var pod) && pod!.NodeName == _node ? pod : null,
        PoliciesToReport());

    public void Apply(ClusterChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Kind == ClusterChangeKind.Listed)
        {
            _pendingKinds.Remove(change.Key.Kind);
            return;
        }

        _oldestUnsynced ??= change.Seen;
        var value = change.Kind == ClusterChangeKind.Remove ? null : change.Value;
        if (value is ManifestObject || (_manifests is not null && value is null))
        {
            ApplyManifest(change.Key, value as ManifestObject);
            return;
        }

        var old = CachedObjects.Current(_compiler, change.Key);
        value = Store(change.Key, value);
        _policiesChanged |= _problems.SetObject(change.Key, change.Kind == ClusterChangeKind.Upsert ? change.Problems : []);
        if (value is null && change.Kind == ClusterChangeKind.Upsert && !change.Problems.IsDefaultOrEmpty)
        {
            // Unreadable object: its problems are reported, it contributes nothing.
            foreach (var problem in change.Problems)
            {
                SyncLog.ObjectIgnored(_logger, problem.ToString());
            }
        }

        // While every pod is to be synced anyway (before the first pass, after a NAD change) only the values are kept.
        if (!_index.Record(old, value, _allDirty ? null : _dirty, Namespace))
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
        if (_reload)
        {
            Reload();
        }

        if (_policiesChanged)
        {
            PublishPolicies();
        }

        var local = _index.LocalPods;
        _ledger.Forget(local);
        _problems.ForgetRules(local);
        var order = Wanted(local, full || _allDirty, now);
        var seen = _oldestUnsynced;
        _dirty.Clear();
        _allDirty = false;
        _oldestUnsynced = null;
        if (full)
        {
            _compactor.Trim(_compiler.Pods.Values);
        }

        var results = ImmutableArray.CreateBuilder<PodSyncResult>();
        foreach (var pod in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rules = _compiler.CompilePod(pod);
            _problems.SetRules(pod.Key, rules);
            var fingerprint = PodRulesFingerprint.Of(rules);
            if (!full && _ledger.Holds(pod, fingerprint))
            {
                continue; // same rules as committed: no kernel work
            }

            results.Add(await SyncOneAsync(pod, rules, fingerprint, seen, cancellationToken).ConfigureAwait(false));
        }

        var pass = new SyncPass(full, results.ToImmutable(), clock.Elapsed);
        _metrics.RecordSync(pass.Elapsed, full, pass.Failures == 0);
        if (_ledger.FailingPods.Count == 0)
        {
            _metrics.SetLastSuccess(_time.GetUtcNow());
        }

        _metrics.SetState(_ledger.FailingPods.Count, _ledger.CommittedPods, _ledger.Chains, _ledger.FailingWith("netns_unresolved"));
        if (pass.Pods.Length > 0 || full)
        {
            SyncLog.SyncPassDone(_logger, full ? "full" : "incremental", pass.Pods.Length, pass.Failures, local.Count, (long)pass.Elapsed.TotalMilliseconds);
        }

        return pass;
    }

    private async Task<PodSyncResult> SyncOneAsync(PodInfo pod, PodRules? rules, PodRulesFingerprint fingerprint, DateTimeOffset? seen, CancellationToken cancellationToken)
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["namespace"] = pod.Namespace, ["pod"] = pod.Name, ["podUID"] = pod.Uid });
        var result = await _syncer.SyncPodAsync(pod, rules, cancellationToken).ConfigureAwait(false);
        foreach (var transaction in result.Transactions)
        {
            _metrics.RecordPodApply(transaction.Elapsed, AgentMetrics.FamilyOf(transaction.Scope));
        }

        if (result.Outcome == PodSyncOutcome.Failed)
        {
            var reason = _syncer.FailureReason(pod);
            var (attempts, delay) = _ledger.Failed(pod.Key, reason, _time.GetUtcNow());
            _metrics.RecordFailure(reason, result.Failure?.Scope);
            SyncLog.PodSyncFailed(_logger, pod.Namespace, pod.Name, reason, attempts, (long)delay.TotalMilliseconds, result.Error ?? "unknown error");
            return result;
        }

        _ledger.Succeeded(pod, rules, fingerprint);
        if (seen is { } first)
        {
            _metrics.RecordProgramming(_time.GetUtcNow() - first);
        }

        if (result.Outcome == PodSyncOutcome.Committed)
        {
            SyncLog.PodRulesCommitted(_logger, pod.Namespace, pod.Name, result.Rules, (long)result.Elapsed.TotalMilliseconds);
        }

        return result;
    }

    /// <summary>
    /// The pods this pass looks at, in key order: every local pod, or the affected ones and those due for a retry
    /// (still local endpoints).
    /// </summary>
    private List<PodInfo> Wanted(IReadOnlyDictionary<string, PodInfo> local, bool all, DateTimeOffset now)
    {
        _wanted.Clear();
        if (all)
        {
            _wanted.AddRange(local.Values);
        }
        else
        {
            foreach (var key in _dirty)
            {
                if (local.TryGetValue(key, out var pod))
                {
                    _wanted.Add(pod);
                }
            }

            foreach (var key in _ledger.Due(now))
            {
                if (!_dirty.Contains(key) && local.TryGetValue(key, out var pod))
                {
                    _wanted.Add(pod);
                }
            }
        }

        _wanted.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return _wanted;
    }

    /// <summary>Puts the value (null: removes the object) into the compiler; returns what it keeps.</summary>
    private object? Store(ObjectKey key, object? value)
    {
        switch (value)
        {
            case null:
                CachedObjects.Remove(_compiler, key);
                if (key.Kind == ManifestKinds.MultiNetworkPolicy)
                {
                    _problems.ForgetPolicy(key.Namespace, key.Name);
                    _policiesChanged = true;
                }

                return null;
            case PodInfo pod:
                var compact = _compactor.Compact(pod);
                _compiler.SetPod(compact);
                return compact;
            case NamespaceInfo ns:
                _compiler.SetNamespace(ns);
                return ns;
            case NetworkAttachmentInfo network:
                _compiler.SetNetwork(network);
                return network;
            case PolicyInfo policy:
                _compiler.SetPolicy(policy);
                _policiesChanged = true;
                _problems.Track(policy);
                return policy;
            default:
                throw new ArgumentException($"{key}: {value.GetType().Name} is not a cluster object", nameof(value));
        }
    }

    private NamespaceInfo? Namespace(string name) => _compiler.TryGetNamespace(name, out var ns) ? ns : null;

    /// <summary>Manifest files: the builder parses them as the CLI does (implicit namespaces included); the next pass loads them whole.</summary>
    private void ApplyManifest(ObjectKey key, ManifestObject? manifest)
    {
        _manifests ??= new ClusterSnapshotBuilder(_input);
        if (manifest is null)
        {
            _manifests.Remove(key);
        }
        else
        {
            _manifests.Apply(manifest);
        }

        _reload = true;
        _allDirty = true;
    }

    private void Reload()
    {
        var snapshot = _manifests!.Build();
        _compiler = IncrementalCompiler.From(snapshot with { Pods = [.. snapshot.Pods.Select(_compactor.Compact)] }, _options);
        _index = new AffectedPodIndex(_node);
        foreach (var policy in _compiler.Policies)
        {
            _index.Record(null, policy, null, Namespace);
        }

        foreach (var pod in _compiler.Pods.Values)
        {
            _index.Record(null, pod, null, Namespace);
        }

        _problems.Reload(snapshot.Problems, _compiler.Policies);

        _reload = false;
        _policiesChanged = true;
    }

    private void PublishPolicies()
    {
        var invalid = _problems.InvalidPolicies(_compiler.Policies);
        _metrics.SetPolicies(_compiler.Policies.Count(p => !invalid.Contains(p.Key)), invalid.Count);
        _policiesChanged = false;
    }

    /// <summary>Policies with something to report: problems, or no usable policy-for.</summary>
    private List<PolicyInfo> PoliciesToReport()
    {
        var result = new List<PolicyInfo>();
        foreach (var (ns, name) in _problems.PoliciesToReport())
        {
            if (_compiler.TryGetPolicy(ns, name, out var policy))
            {
                result.Add(policy!);
            }
        }

        return result;
    }
}
