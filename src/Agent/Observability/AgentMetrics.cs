using System.Diagnostics.Metrics;
using System.Reflection;

namespace Mnp.Agent.Observability;

/// <summary>
/// The agent's instruments (docs/operations.md §4): one <see cref="Meter"/>, exported by prometheus-net, no per-pod labels.
/// Gauges read the values the sync loop publishes here.
/// </summary>
public sealed class AgentMetrics : IDisposable
{
    /// <summary>The meter's name; prometheus-net puts it in front of each instrument's, giving <c>mnp_sync_duration_seconds</c> etc.</summary>
    public const string MeterName = "mnp";

    private readonly Meter _meter;
    private readonly Histogram<double> _sync;
    private readonly Histogram<double> _podApply;
    private readonly Histogram<double> _programming;
    private readonly Counter<long> _commitFailures;
    private readonly Counter<long> _netnsFailures;
    private long _pending;
    private long _managedPods;
    private long _managedChains;
    private long _appliedPolicies;
    private long _invalidPolicies;
    private long _unresolvedPods;
    private double _lastSuccess;

    public AgentMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _sync = _meter.CreateHistogram<double>("sync_duration_seconds", "s", "One full or incremental sync");
        _podApply = _meter.CreateHistogram<double>("pod_apply_duration_seconds", "s", "One pod network namespace transaction");
        _programming = _meter.CreateHistogram<double>("network_programming_duration_seconds", "s", "Change seen to rules committed");
        _commitFailures = _meter.CreateCounter<long>("commit_failures_total", null, "Failed pod syncs");
        _netnsFailures = _meter.CreateCounter<long>("netns_resolution_failures_total", null, "Pod network namespaces that could not be found");
        _meter.CreateObservableGauge("pending_pod_syncs", () => Volatile.Read(ref _pending), null, "Dirty or failed pods waiting for a sync");
        _meter.CreateObservableGauge("managed_pods", () => Volatile.Read(ref _managedPods), null, "Local pods whose rules are committed");
        _meter.CreateObservableGauge("managed_chains", () => Volatile.Read(ref _managedChains), null, "Chains of ours in local pods");
        _meter.CreateObservableGauge("unresolved_netns_pods", () => Volatile.Read(ref _unresolvedPods), null, "Local pods whose network namespace is not found yet");
        _meter.CreateObservableGauge("policies", () => new[]
        {
            new Measurement<long>(Volatile.Read(ref _appliedPolicies), new KeyValuePair<string, object?>("state", "applied")),
            new Measurement<long>(Volatile.Read(ref _invalidPolicies), new KeyValuePair<string, object?>("state", "invalid")),
        }, null, "Policies seen, by validity");
        _meter.CreateObservableGauge("sync_last_success_timestamp_seconds", () => Volatile.Read(ref _lastSuccess), "s", "When the last sync without failures ended");
        var (version, commit) = BuildIdentity();
        _meter.CreateObservableGauge("build_info", () => new Measurement<long>(1,
            new KeyValuePair<string, object?>("version", version), new KeyValuePair<string, object?>("commit", commit)), null, "Build identity");
    }

    public Meter Meter => _meter;

    public void RecordSync(TimeSpan elapsed, bool full, bool succeeded) =>
        _sync.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("result", succeeded ? "success" : "error"), new KeyValuePair<string, object?>("kind", full ? "full" : "incremental"));

    /// <summary>One transaction; <paramref name="family"/> is <c>ipv4</c>, <c>ipv6</c> (iptables, one per family) or <c>inet</c> (nftables, both at once).</summary>
    public void RecordPodApply(TimeSpan elapsed, string family) => _podApply.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("family", family));

    /// <summary>The family label of a backend transaction's scope (<c>IPv4 filter</c>, <c>IPv6 filter</c>, <c>inet mnp</c>).</summary>
    public static string FamilyOf(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var first = scope.Split(' ', 2)[0];
        return first.ToLowerInvariant() is "ipv4" or "ipv6" or "inet" ? first.ToLowerInvariant() : "all";
    }

    public void RecordProgramming(TimeSpan latency) => _programming.Record(Math.Max(0, latency.TotalSeconds));

    /// <summary>
    /// One failed pod sync. <paramref name="scope"/> is the failed transaction's scope, labelled as
    /// <see cref="RecordPodApply"/> labels it (<c>ipv4</c>, <c>ipv6</c>, <c>inet</c>); a failure before any
    /// transaction (no scope: the namespace not found or not entered, a library missing) is <c>all</c>.
    /// </summary>
    public void RecordFailure(string reason, string? scope = null)
    {
        _commitFailures.Add(1, new KeyValuePair<string, object?>("family", scope is null ? "all" : FamilyOf(scope)), new KeyValuePair<string, object?>("reason", reason));
        if (reason == "netns_unresolved")
        {
            _netnsFailures.Add(1);
        }
    }

    public void SetState(int pending, int managedPods, int managedChains, int unresolved)
    {
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _managedPods, managedPods);
        Volatile.Write(ref _managedChains, managedChains);
        Volatile.Write(ref _unresolvedPods, unresolved);
    }

    public void SetPolicies(int applied, int invalid)
    {
        Volatile.Write(ref _appliedPolicies, applied);
        Volatile.Write(ref _invalidPolicies, invalid);
    }

    public void SetLastSuccess(DateTimeOffset when) => Volatile.Write(ref _lastSuccess, when.ToUnixTimeMilliseconds() / 1000.0);

    public void Dispose() => _meter.Dispose();

    /// <summary>The informational version (<c>1.2.3+commit</c> when SourceLink stamps it).</summary>
    public static (string Version, string Commit) BuildIdentity()
    {
        var informational = typeof(AgentMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (informational, "unknown") : (informational[..plus], informational[(plus + 1)..]);
    }
}
