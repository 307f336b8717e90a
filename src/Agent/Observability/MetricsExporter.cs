using System.Collections.Immutable;
using Prometheus;

namespace Mnp.Agent.Observability;

/// <summary>
/// Publishes the agent's <see cref="System.Diagnostics.Metrics.Meter"/> through prometheus-net into a registry of its
/// own (no process or .NET default metrics mixed in), with kube-proxy's histogram buckets: exponential from 1 ms, ×2, 15 buckets.
/// </summary>
public sealed class MetricsExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static readonly ImmutableArray<double> Buckets = [.. Enumerable.Range(0, 15).Select(i => 0.001 * Math.Pow(2, i))];

    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly IDisposable _adapter;

    /// <summary>Exports the instruments of <paramref name="metrics"/> (its meter instance only, so two agents in one process never mix).</summary>
    public MetricsExporter(AgentMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = _registry,
            MetricFactory = Metrics.WithCustomRegistry(_registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, metrics.Meter),
            ResolveHistogramBuckets = _ => [.. Buckets],
        });
    }

    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    public void Dispose() => _adapter.Dispose();
}
