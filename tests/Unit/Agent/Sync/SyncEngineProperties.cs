using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using Mnp.Agent.Observability;
using Mnp.Agent.Sources;
using Mnp.Agent.Sync;
using Mnp.Policy.Compiler;
using Mnp.Policy.Input;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Tests.Unit.Compiler;
using Mnp.Tests.Support;

namespace Mnp.Tests.Unit.Agent.Sync;

/// <summary>
/// The sync engine never misses a pod: over the random event sequences of <see cref="IncrementalCompilerProperties"/>,
/// after every event and incremental pass, the rules last handed to the backend for each local pod are those a
/// from-scratch compile of the same objects gives (so the affected-pod index found every pod whose rules changed),
/// and no pod was written whose rules had not changed; the managed-chains gauge is the number of our chains those
/// rules render to.
/// </summary>
public sealed class SyncEngineProperties
{
    private const string Node = TestCluster.Node;

    [Property(MaxTest = 100)]
    public Property Incremental_passes_keep_every_local_pod_equal_to_a_from_scratch_compile() =>
        Prop.ForAll(IncrementalCompilerProperties.Sequences().ToArbitrary(), sequence =>
        {
            var random = new Random(sequence.Seed);
            var backend = new FakePodSyncer();
            using var metrics = new AgentMetrics();
            var engine = new SyncEngine(
                [ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy],
                SnapshotInputOptions.Cluster, Node, PolicyOptions.Default, backend, TimeProvider.System, metrics, NullLogger.Instance);
            foreach (var kind in new[] { ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy })
            {
                engine.Apply(ClusterChange.Listed(kind, DateTimeOffset.UtcNow));
            }

            var model = new Dictionary<ObjectKey, object>();
            var committed = new Dictionary<string, string>(StringComparer.Ordinal);
            var chains = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var step in sequence.Steps)
            {
                foreach (var (key, value) in IncrementalCompilerProperties.Events(model, step, random))
                {
                    engine.Apply(value is null
                        ? ClusterChange.Removed(key, DateTimeOffset.UtcNow)
                        : new ClusterChange(ClusterChangeKind.Upsert, key, value, [], DateTimeOffset.UtcNow));
                    if (value is null)
                    {
                        model.Remove(key);
                    }
                    else
                    {
                        model[key] = value;
                    }

                    backend.Clear();
                    engine.SyncAsync(full: false, CancellationToken.None).GetAwaiter().GetResult();
                    var scratch = IncrementalCompilerProperties.FromScratch(model);
                    var local = scratch.Pods.Where(p => p.IsPolicyEndpoint && p.NodeName == Node).ToDictionary(p => p.Key, StringComparer.Ordinal);
                    foreach (var (pod, rules) in backend.Calls)
                    {
                        var text = Effective(rules);
                        Assert.True(!committed.TryGetValue(pod, out var before) || before != text, $"after {key}: {pod} written with unchanged rules");
                        committed[pod] = text;
                        chains[pod] = RenderedChains(rules);
                    }

                    foreach (var gone in committed.Keys.Where(k => !local.ContainsKey(k)).ToList())
                    {
                        committed.Remove(gone);
                        chains.Remove(gone);
                    }

                    Assert.Equal(chains.Values.Sum(), GaugeReader.Read(metrics.Meter, "managed_chains"));

                    foreach (var (podKey, pod) in local)
                    {
                        var wanted = Effective(PolicyCompiler.CompilePod(scratch, pod, PolicyOptions.Default));
                        var held = committed.GetValueOrDefault(podKey) ?? Effective(null);
                        Assert.True(held == wanted, $"after {key}: {podKey} holds stale rules\nwanted:\n{wanted}\nheld:\n{held}");
                    }
                }
            }

            return true;
        });

    private static int RenderedChains(PodRules? rules) => rules is null ? 0
        : new[] { IpFamily.V4, IpFamily.V6 }.Sum(f => TableRenderer.Render(rules, f, PolicyOptions.Default).Chains.Count(c => ChainNames.IsOwned(c.Name)));

    /// <summary>What the kernel would hold: rules that isolate nothing hold nothing of ours, as no rules do.</summary>
    private static string Effective(PodRules? rules) =>
        PodRulesFingerprint.Of(rules) == PodRulesFingerprint.None ? "(nothing of ours)" : IncrementalCompilerProperties.Describe(rules, PolicyOptions.Default);
}
