using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Mnp.Agent.Observability;
using Mnp.Agent.Sources;
using Mnp.Agent.Sync;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Mnp.Bench -- agent [--namespaces 50]</c>: the agent's sync engine over the
/// synthetic cluster (50 namespaces = 5,000 pods, 500 policies, 200 on the node) with a fake backend. Prints time to
/// ready (every object fed as a watch event, then the first full sync), event-to-commit latency p50/p99 and pods
/// written for 100 single label changes, the same changes handled as the Go reference handles every event (snapshot
/// and compile from scratch, every local pod written), the agent's own no-op periodic resync, and the process RSS
/// with the cache loaded. The cluster is generated into the engine and not kept by the benchmark, so the RSS is the
/// cache's (and the runtime's), as in the agent.
/// </summary>
internal static class AgentScaleBenchmark
{
    private const int Changes = 100;
    private const int GoStyleSamples = 10;

    public static async Task RunAsync(string[] args)
    {
        var namespaces = args.Length >= 2 && args[0] == "--namespaces" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        using var metrics = new AgentMetrics();
        var backend = new AgentCountingSyncer();
        var engine = NewEngine(backend, metrics);
        var rssAtStart = Rss();
        var (keys, local, clock, fed) = Load(engine, namespaces);
        await engine.SyncAsync(full: true, CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine($"time to ready: {clock.Elapsed.TotalMilliseconds:F0} ms (events fed in {fed.TotalMilliseconds:F0} ms, first sync of {backend.Written} pods)");

        var random = new Random(7);
        var latencies = new List<double>();
        var written = new List<int>();
        for (var i = 0; i < Changes; i++)
        {
            var changed = Relabel(engine.Pod(keys[random.Next(keys.Length)])!, random);
            backend.Written = 0;
            var start = Stopwatch.GetTimestamp();
            engine.Apply(Upsert(changed));
            await engine.SyncAsync(full: false, CancellationToken.None).ConfigureAwait(false);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            written.Add(backend.Written);
        }

        var rssAfterChanges = Rss();
        var slowest = latencies.Select((ms, i) => (ms, i)).OrderByDescending(x => x.ms).Take(3).Select(x => $"#{x.i} {x.ms:F1} ms/{written[x.i]} pods");
        Console.WriteLine("slowest: " + string.Join(", ", slowest));
        latencies.Sort();
        var incrementalTotal = latencies.Sum();
        Console.WriteLine($"incremental, {Changes} label changes: p50 {Percentile(latencies, 0.50):F2} ms, p99 {Percentile(latencies, 0.99):F2} ms, " +
            $"total {incrementalTotal:F0} ms, pods written {written.Sum()} (max {written.Max()} per change)");

        // The Go reference on every event: the whole cluster compiled from scratch and every local pod written.
        var goStyle = new List<double>();
        var goWritten = 0;
        for (var i = 0; i < GoStyleSamples; i++)
        {
            var changed = Relabel(engine.Pod(keys[random.Next(keys.Length)])!, random);
            engine.Apply(Upsert(changed));
            await engine.SyncAsync(full: false, CancellationToken.None).ConfigureAwait(false);
            var start = Stopwatch.GetTimestamp();
            var snapshot = engine.Snapshot;
            foreach (var rules in PolicyCompiler.Compile(snapshot, SyntheticCluster.Node, PolicyOptions.Default))
            {
                await backend.SyncPodAsync(rules.Pod, rules, CancellationToken.None).ConfigureAwait(false);
                goWritten++;
            }

            goStyle.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var perGo = goStyle.Average();
        Console.WriteLine($"full resync per change as the Go reference does it (snapshot + compile from scratch, every local pod written): " +
            $"{perGo:F1} ms and {goWritten / GoStyleSamples} pods written each; {Changes} changes: {perGo * Changes:F0} ms, " +
            $"{Changes * goWritten / GoStyleSamples} pods written; incremental is {perGo * Changes / Math.Max(incrementalTotal, 0.001):F0}x less wall time");

        var full = new List<double>();
        backend.Written = 0;
        for (var i = 0; i < GoStyleSamples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await engine.SyncAsync(full: true, CancellationToken.None).ConfigureAwait(false);
            full.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        full.Sort();
        Console.WriteLine($"no-op periodic resync of {local} pods (agent's full pass, fake backend: every pod handed over, the real one compares " +
            $"with the kernel): p50 {Percentile(full, 0.5):F1} ms, max {full[^1]:F1} ms");
        Console.WriteLine($"RSS with the cache of {keys.Length} pods, after ready and the {Changes} incremental changes: {rssAfterChanges:F0} MiB " +
            $"(at start {rssAtStart:F0} MiB; after the Go-style compiles and full passes too: {Rss():F0} MiB; managed heap {GC.GetTotalMemory(false) / (1024.0 * 1024):F0} MiB, " +
            $"GC committed {GC.GetGCMemoryInfo().TotalCommittedBytes / (1024.0 * 1024):F0} MiB: the gen0 budget, {(Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is { } gen0 ? $"DOTNET_GCgen0size={gen0} as the DaemonSet sets it" : "this machine's default; the DaemonSet sets DOTNET_GCgen0size=0x800000")})");
        GC.KeepAlive(engine);
    }

    /// <summary>
    /// The process's resident set once settled, in MiB: after full compacting collections, giving the GC the few
    /// seconds it takes to hand freed regions back to the system (as it does in an agent between events).
    /// </summary>
    private static double Rss()
    {
        using var self = Process.GetCurrentProcess();
        var rss = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            Thread.Sleep(1000);
            self.Refresh();
            var now = self.WorkingSet64 / (1024.0 * 1024);
            if (now >= rss - 1)
            {
                return now;
            }

            rss = now;
        }

        return rss;
    }

    /// <summary>Feeds the synthetic cluster as watch events and lists every kind; returns the pod keys only.</summary>
    private static (string[] Keys, int Local, Stopwatch Clock, TimeSpan Fed) Load(SyncEngine engine, int namespaces)
    {
        var cluster = SyntheticCluster.Build(namespaces);
        var keys = cluster.Pods.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        var local = cluster.Pods.Count(p => p.NodeName == SyntheticCluster.Node);
        Console.WriteLine($"cluster: {cluster.Pods.Length} pods, {cluster.Policies.Length} policies, {local} on the node");
        var clock = Stopwatch.StartNew();
        Feed(engine, cluster);
        return (keys, local, clock, clock.Elapsed);
    }

    private static PodInfo Relabel(PodInfo pod, Random random) => pod with { Labels = pod.Labels.SetItem("app", $"app{random.Next(10)}") };

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
