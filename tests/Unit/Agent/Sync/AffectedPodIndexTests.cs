using Microsoft.Extensions.Logging.Abstractions;
using Mnp.Agent.Observability;
using Mnp.Agent.Sources;
using Mnp.Agent.Sync;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Tests.Unit.Agent.Sync;

/// <summary>
/// The index never misses a pod: over random pod and namespace label changes in a random cluster, the pods the
/// incremental sync writes are exactly those whose compiled rules differ from before (found by compiling every local pod).
/// </summary>
public sealed class AffectedPodIndexTests
{
    private const string Node = "n1";
    private static readonly string[] Apps = ["a", "b", "c", "d"];
    private static readonly string[] Teams = ["red", "blue", "green"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Incremental_writes_exactly_the_pods_whose_rules_changed(int seed)
    {
        var random = new Random(seed);
        var backend = new FakePodSyncer();
        using var metrics = new AgentMetrics();
        var engine = new SyncEngine([ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy],
            SnapshotInputOptions.Cluster, Node, PolicyOptions.Default, backend, TimeProvider.System, metrics, NullLogger.Instance);
        var namespaces = new Dictionary<string, NamespaceInfo>();
        var pods = new Dictionary<string, PodInfo>();
        foreach (var ns in new[] { "x", "y", "z" })
        {
            namespaces[ns] = new NamespaceInfo(ns, ImmutableDictionary<string, string>.Empty.Add("team", Teams[random.Next(3)]));
            Apply(engine, namespaces[ns]);
        }

        Apply(engine, new NetworkAttachmentInfo("x", "net", "macvlan", "{}"));
        for (var i = 0; i < 30; i++)
        {
            var ns = new[] { "x", "y", "z" }[i % 3];
            var pod = new PodInfo(ns, $"p{i}", $"u{i}", ImmutableDictionary<string, string>.Empty.Add("app", Apps[random.Next(4)]), "Running", false,
                i % 2 == 0 ? Node : "n2", [], [new PodInterface(new NetworkRef("x", "net"), "net1", [IPAddress.Parse($"10.0.0.{i + 1}")], null)], []);
            pods[pod.Key] = pod;
            Apply(engine, pod);
        }

        for (var q = 0; q < 8; q++)
        {
            var ns = new[] { "x", "y", "z" }[q % 3];
            Peer peer = q % 2 == 0
                ? new PodPeer(null, Select("app", Apps[random.Next(4)]))
                : new PodPeer(Select("team", Teams[random.Next(3)]), Select("app", Apps[random.Next(4)]));
            var rules = ImmutableArray.Create(new PolicyRule(0, false, [peer, new PodPeer(null, Select("app", Apps[random.Next(4)]))], true, []));
            var policy = new PolicyInfo(ns, $"q{q}", [new NetworkRef("x", "net")], new PolicySpec(Select("app", Apps[random.Next(4)]), true, q % 3 == 0, rules, q % 3 == 0 ? rules : []));
            Apply(engine, policy);
        }

        foreach (var kind in new[] { ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy })
        {
            engine.Apply(ClusterChange.Listed(kind, DateTimeOffset.UtcNow));
        }

        await engine.SyncAsync(true, CancellationToken.None);
        for (var step = 0; step < 60; step++)
        {
            var before = Fingerprints(engine.Snapshot);
            backend.Clear();
            if (random.Next(4) == 0)
            {
                var name = new[] { "x", "y", "z" }[random.Next(3)];
                namespaces[name] = namespaces[name] with { Labels = namespaces[name].Labels.SetItem("team", Teams[random.Next(3)]) };
                Apply(engine, namespaces[name]);
            }
            else
            {
                var key = pods.Keys.ElementAt(random.Next(pods.Count));
                pods[key] = pods[key] with { Labels = pods[key].Labels.SetItem("app", Apps[random.Next(4)]) };
                Apply(engine, pods[key]);
            }

            await engine.SyncAsync(false, CancellationToken.None);
            var after = Fingerprints(engine.Snapshot);
            var changed = after.Where(p => !before[p.Key].Equals(p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(changed, backend.Written);
        }
    }

    private static Dictionary<string, PodRulesFingerprint> Fingerprints(ClusterSnapshot snapshot)
    {
        var local = snapshot.Pods.Where(p => p.NodeName == Node).ToList();
        return PolicyCompiler.CompilePods(snapshot, local, PolicyOptions.Default)
            .ToDictionary(p => p.Key, p => PodRulesFingerprint.Of(p.Value), StringComparer.Ordinal);
    }

    private static LabelSelector Select(string key, string value) => new([new LabelRequirement(key, SelectorOperator.In, [value])]);

    private static void Apply(SyncEngine engine, object value) => engine.Apply(UpsertChange.Of(value, DateTimeOffset.UtcNow));
}
