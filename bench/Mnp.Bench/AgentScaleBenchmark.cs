using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Mnp.Agent.Observability;
using Mnp.Agent.Sources;
using Mnp.Agent.Sync;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Mnp.Bench -- agent [--namespaces 50]</c>: the agent's sync engine over the
/// synthetic cluster (50 namespaces = 5,000 pods, 500 policies, 200 on the node) with a fake backend. Prints time to
/// ready (every object fed as a watch event, then the first full sync), event-to-commit latency p50/p99 and pods
/// written for 100 single label changes, the same against a full resync of every local pod per change (what the Go
/// reference does on every event), a no-op periodic resync, and the process RSS.
/// </summary>
internal static class AgentScaleBenchmark
{
    private const int Changes = 100;

    public static async Task RunAsync(string[] args)
    {
        var namespaces = args.Length >= 2 && args[0] == "--namespaces" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        var cluster = SyntheticCluster.Build(namespaces);
        var local = cluster.Pods.Count(p => p.NodeName == SyntheticCluster.Node);
        Console.WriteLine($"cluster: {cluster.Pods.Length} pods, {cluster.Policies.Length} policies, {local} on the node");

        using var metrics = new AgentMetrics();
        var backend = new AgentCountingSyncer();
        var engine = NewEngine(backend, metrics);
        var clock = Stopwatch.StartNew();
        Feed(engine, cluster);
        var fed = clock.Elapsed;
        await engine.SyncAsync(full: true, CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine($"time to ready: {clock.Elapsed.TotalMilliseconds:F0} ms (events fed in {fed.TotalMilliseconds:F0} ms, first sync of {backend.Written} pods)");

        var random = new Random(7);
        var pods = cluster.Pods.ToDictionary(p => p.Key, StringComparer.Ordinal);
        var keys = pods.Keys.Order(StringComparer.Ordinal).ToArray();
        var latencies = new List<double>();
        var written = new List<int>();
        for (var i = 0; i < Changes; i++)
        {
            var pod = pods[keys[random.Next(keys.Length)]];
            var changed = pod with { Labels = pod.Labels.SetItem("app", $"app{random.Next(10)}") };
            pods[pod.Key] = changed;
            backend.Written = 0;
            var start = Stopwatch.GetTimestamp();
            engine.Apply(Upsert(changed));
            await engine.SyncAsync(full: false, CancellationToken.None).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            written.Add(backend.Written);
        }

        latencies.Sort();
        Console.WriteLine($"incremental, {Changes} label changes: p50 {Percentile(latencies, 0.50):F2} ms, p99 {Percentile(latencies, 0.99):F2} ms, " +
            $"total {latencies.Sum():F0} ms, pods written {written.Sum()} (max {written.Max()} per change)");

        var full = new List<double>();
        backend.Written = 0;
        for (var i = 0; i < 10; i++)
        {
            var pod = pods[keys[random.Next(keys.Length)]];
            engine.Apply(Upsert(pod with { Labels = pod.Labels.SetItem("app", $"app{random.Next(10)}") }));
            var start = Stopwatch.GetTimestamp();
            await engine.SyncAsync(full: true, CancellationToken.None).ConfigureAwait(false);
            full.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var perFull = full.Average();
        Console.WriteLine($"full resync per change (Go reference): {perFull:F1} ms and {backend.Written / full.Count} pods written each; " +
            $"{Changes} changes: {perFull * Changes:F0} ms, {Changes * backend.Written / full.Count} pods written; " +
            $"incremental is {perFull * Changes / Math.Max(latencies.Sum(), 0.001):F0}x less wall time");

        Console.WriteLine($"no-op periodic resync of {local} pods (fake backend; the real one compares with the kernel): {perFull:F1} ms");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine($"RSS with the cache of {cluster.Pods.Length} pods: {self.WorkingSet64 / (1024.0 * 1024):F0} MiB (managed heap {GC.GetTotalMemory(false) / (1024.0 * 1024):F0} MiB)");
        GC.KeepAlive(engine);
    }

    private static SyncEngine NewEngine(IPodSyncer backend, AgentMetrics metrics) =>
        new([ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy],
            SnapshotInputOptions.Cluster, SyntheticCluster.Node, PolicyOptions.Default, backend, TimeProvider.System, metrics, NullLogger.Instance);

    private static void Feed(SyncEngine engine, ClusterSnapshot cluster)
    {
        foreach (var ns in cluster.Namespaces)
        {
            engine.Apply(new ClusterChange(ClusterChangeKind.Upsert, new ObjectKey(ManifestKinds.Namespace, string.Empty, ns.Name), ns, [], DateTimeOffset.UtcNow));
        }

        foreach (var network in cluster.Networks)
        {
            engine.Apply(new ClusterChange(ClusterChangeKind.Upsert, new ObjectKey(ManifestKinds.NetworkAttachmentDefinition, network.Namespace, network.Name), network, [], DateTimeOffset.UtcNow));
        }

        foreach (var policy in cluster.Policies)
        {
            engine.Apply(Upsert(policy));
        }

        foreach (var pod in cluster.Pods)
        {
            engine.Apply(Upsert(pod));
        }

        foreach (var kind in new[] { ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy })
        {
            engine.Apply(ClusterChange.Listed(kind, DateTimeOffset.UtcNow));
        }
    }

    private static ClusterChange Upsert(PodInfo pod) =>
        new(ClusterChangeKind.Upsert, new ObjectKey(ManifestKinds.Pod, pod.Namespace, pod.Name), pod, [], DateTimeOffset.UtcNow);

    private static ClusterChange Upsert(PolicyInfo policy) =>
        new(ClusterChangeKind.Upsert, new ObjectKey(ManifestKinds.MultiNetworkPolicy, policy.Namespace, policy.Name), policy, [], DateTimeOffset.UtcNow);

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
