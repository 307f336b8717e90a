using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Mnp.Agent.Lab;
using Mnp.Agent.Observability;
using Mnp.Agent.Reconcile;
using Mnp.Agent.Sources;
using Mnp.Agent.Sync;
using Mnp.Native.Backends;
using Mnp.Native.Iptables;
using Mnp.Native.Nftables;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Mnp.Bench -- agent-kernel [--backend iptables|nftables]</c> (root): the
/// agent's periodic full resync on a real kernel. A lab of 200 pods (20 namespaces of 10, one macvlan network, two
/// policies per namespace) is built, the sync engine programs every pod through the real backend, then full passes
/// run again with nothing changed: their time, the process CPU time they took (what other load on the machine does
/// not inflate) and how many pods they committed (the goal: under 200 ms, none). The first three no-op passes are
/// reported one by one; then passes run, 200 ms apart, until tiered compilation has settled (the process CPU time
/// includes the runtime's background tier-1 compiles, which made single passes take 300-500 ms of CPU for a few
/// seconds after start-up; with <c>DOTNET_TieredCompilation=0</c> they disappear), and the median, 90th percentile and
/// maximum of thirty more back-to-back passes are reported. The lab is removed afterwards.
/// </summary>
internal static class AgentKernelResyncBenchmark
{
    private const string Config = """{"type":"macvlan","ipam":{"type":"host-local","ranges":[[{"subnet":"10.77.0.0/24"}]]}}""";
    private const int Namespaces = 20;
    private const int PodsPerNamespace = 10;
    private const int FirstPasses = 3;
    private const int SteadyPasses = 30;
    private const int QuietPasses = 3;
    private const int MaxSettlingPasses = 100;

    public static async Task RunAsync(string[] args)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("agent-kernel needs root (network namespaces, netfilter)");
        }

        var nftables = args switch
        {
            [] or ["--backend", "iptables"] => false,
            ["--backend", "nftables"] => true,
            _ => throw new ArgumentException("usage: agent-kernel [--backend iptables|nftables]"),
        };

        using var executor = new NetnsExecutor();
        var builder = new LabBuilder(executor, new NamedNetns(), new LabStore());
        var lab = "bk" + Guid.NewGuid().ToString("N")[..6];
        var cluster = Cluster();
        try
        {
            var clock = Stopwatch.StartNew();
            var state = await builder.UpAsync(lab, cluster).ConfigureAwait(false);
            Console.WriteLine($"lab {lab}: {state.Pods.Length} pods in {clock.Elapsed.TotalSeconds:F1} s");

            var resolver = new TrackingNetnsResolver(new LabNetnsResolver(new NamedNetns(), state));
            var options = PolicyOptions.Default;
            IFirewallBackend backend = nftables ? new NftablesBackend(executor) : new IptablesBackend(executor);
            var syncer = new ReconcilerPodSyncer(new RuleReconciler(backend, resolver, options), resolver);
            using var metrics = new AgentMetrics();
            var engine = new SyncEngine(
                [ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy],
                SnapshotInputOptions.Cluster, "lab", options, syncer, TimeProvider.System, metrics, NullLogger.Instance);
            Feed(engine, cluster, state);

            var first = await engine.SyncAsync(full: true, CancellationToken.None).ConfigureAwait(false);
            Console.WriteLine($"{backend.Kind}: first full sync {first.Elapsed.TotalMilliseconds:F0} ms, {Count(first, PodSyncOutcome.Committed)} pods committed, {first.Failures} failed");
            var firstPasses = await PassesAsync(engine, FirstPasses).ConfigureAwait(false);
            var (settling, settlingPasses) = await SettleAsync(engine).ConfigureAwait(false);
            var steady = await PassesAsync(engine, SteadyPasses).ConfigureAwait(false);

            var check = nftables ? "each pod's generation id checked, its table read back only if it moved" : "each pod's tables read back and compared";
            Console.WriteLine($"no-op periodic resync of {first.Pods.Length} pods ({check}); wall / process CPU / committed / failed:");
            Console.WriteLine("  passes 1-3: " + string.Join(", ", firstPasses.Select(p =>
                $"{p.Pass.Elapsed.TotalMilliseconds:F0} ms / {p.Cpu.TotalMilliseconds:F0} ms / {Count(p.Pass, PodSyncOutcome.Committed)} / {p.Pass.Failures}")));
            Console.WriteLine($"  then {settlingPasses} passes until the JIT compiled nothing for {QuietPasses} passes in a row (max {settling.Max(p => p.Pass.Elapsed.TotalMilliseconds):F0} ms, " +
                $"{settling.Sum(p => Count(p.Pass, PodSyncOutcome.Committed))} committed), then {SteadyPasses}: {Summary(steady)}");
        }
        finally
        {
            await builder.DownAsync(lab).ConfigureAwait(false);
        }
    }

    private static async Task<List<(SyncPass Pass, TimeSpan Cpu)>> PassesAsync(SyncEngine engine, int count)
    {
        var passes = new List<(SyncPass Pass, TimeSpan Cpu)>();
        for (var i = 0; i < count; i++)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var pass = await engine.SyncAsync(full: true, CancellationToken.None).ConfigureAwait(false);
            passes.Add((pass, Environment.CpuUsage.TotalTime - cpu));
        }

        return passes;
    }

    /// <summary>
    /// No-op passes until tiered compilation is done with the pass's code (no method compiled during the last
    /// <see cref="QuietPasses"/>), as it is in an agent by its first periodic resync; a resync period apart, not back to back.
    /// </summary>
    private static async Task<(List<(SyncPass Pass, TimeSpan Cpu)> Passes, int Count)> SettleAsync(SyncEngine engine)
    {
        var passes = new List<(SyncPass Pass, TimeSpan Cpu)>();
        for (var quiet = 0; quiet < QuietPasses && passes.Count < MaxSettlingPasses;)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            passes.AddRange(await PassesAsync(engine, 1).ConfigureAwait(false));
            await Task.Delay(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false); // the runtime's tiering delay is 100 ms
            quiet = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled ? quiet + 1 : 0;
        }

        return (passes, passes.Count);
    }

    private static string Summary(List<(SyncPass Pass, TimeSpan Cpu)> passes)
    {
        var wall = passes.Select(p => p.Pass.Elapsed.TotalMilliseconds).Order().ToList();
        var cpu = passes.Select(p => p.Cpu.TotalMilliseconds).Order().ToList();
        return $"median {wall[wall.Count / 2]:F0} ms, p90 {wall[wall.Count * 9 / 10]:F0}, max {wall[^1]:F0}; CPU median {cpu[cpu.Count / 2]:F0} ms, max {cpu[^1]:F0}; " +
            $"{passes.Sum(p => Count(p.Pass, PodSyncOutcome.Committed))} committed, {passes.Sum(p => p.Pass.Failures)} failed";
    }

    private static int Count(SyncPass pass, PodSyncOutcome outcome) => pass.Pods.Count(p => p.Outcome == outcome);

    private static void Feed(SyncEngine engine, ClusterSnapshot cluster, LabState state)
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
            engine.Apply(new ClusterChange(ClusterChangeKind.Upsert, new ObjectKey(ManifestKinds.MultiNetworkPolicy, policy.Namespace, policy.Name), policy, [], DateTimeOffset.UtcNow));
        }

        foreach (var pod in cluster.Pods)
        {
            var withInterfaces = pod with { Interfaces = NetworkStatus.ToPodInterfaces(state.FindPod(pod.Key)!) };
            engine.Apply(new ClusterChange(ClusterChangeKind.Upsert, new ObjectKey(ManifestKinds.Pod, pod.Namespace, pod.Name), withInterfaces, [], DateTimeOffset.UtcNow));
        }

        foreach (var kind in new[] { ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy })
        {
            engine.Apply(ClusterChange.Listed(kind, DateTimeOffset.UtcNow));
        }
    }

    private static ClusterSnapshot Cluster()
    {
        var network = new NetworkRef("infra", "net1");
        var names = Enumerable.Range(0, Namespaces).Select(n => $"t{n:D2}").ToList();
        var pods = names.SelectMany(ns => Enumerable.Range(0, PodsPerNamespace).Select(p => new PodInfo(
            ns, $"p{p}", $"{ns}-{p}", ImmutableDictionary<string, string>.Empty.Add("app", $"a{p % 5}"), "Running", false, "lab",
            [new ContainerPort("http", 8080, Protocol.Tcp)], [], [new NetworkRequest(network, null, [])])));
        var policies = names.SelectMany(ns => new[]
        {
            new PolicyInfo(ns, "from-own", [network], new PolicySpec(LabelSelector.Everything, true, false,
                [new PolicyRule(0, false, [new PodPeer(null, Select("app", "a1", "a2"))], false, [new PortSpec(Protocol.Tcp, 80, null, null), new PortSpec(Protocol.Tcp, null, null, "http")])], [])),
            new PolicyInfo(ns, "to-teams", [network], new PolicySpec(Select("app", "a0"), false, true, [],
                [new PolicyRule(0, false, [new PodPeer(Select("team", "even"), LabelSelector.Everything)], false, [new PortSpec(Protocol.Tcp, null, null, "http")])])),
        });
        return new ClusterSnapshot(
            [.. names.Select((n, i) => new NamespaceInfo(n, ImmutableDictionary<string, string>.Empty.Add("team", i % 2 == 0 ? "even" : "odd")))],
            [.. pods],
            [new NetworkAttachmentInfo("infra", "net1", "macvlan", Config)],
            [.. policies],
            []);
    }

    private static LabelSelector Select(string key, params string[] values) => new([new LabelRequirement(key, SelectorOperator.In, [.. values])]);
}
