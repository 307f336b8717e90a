using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mnp.Agent.Sync;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Input;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Compiler;

/// <summary>
/// The agent's incrementally updated compiler gives exactly what a from-scratch compile gives: over random event
/// sequences (one random cluster turning into the next, object by object in random order: pods relabelled, moved,
/// readdressed, stopped, added and removed; namespaces relabelled and removed; NADs turning managed and unmanaged;
/// policies replaced under the same name, added and removed), after every event each pod's rules (rendered for
/// iptables in both families and for nftables, the refused-rule problems, and the content fingerprint) equal those
/// that <see cref="PolicyCompiler.CompilePod"/> gives over a snapshot built from scratch of the same objects.
/// </summary>
public sealed class IncrementalCompilerProperties
{
    private static readonly PolicyOptions Options = PolicyOptions.Default;
    private static readonly PolicyOptions Tight = PolicyOptions.Default with { MaxEntriesPerDirection = 6 };

    [Property(MaxTest = 150)]
    public Property Incremental_rules_equal_a_from_scratch_compile_after_every_event() =>
        Prop.ForAll(Sequences().ToArbitrary(), sequence => Check(sequence, Options));

    [Property(MaxTest = 60)]
    public Property Incremental_rules_equal_a_from_scratch_compile_when_the_expansion_limit_refuses_rules() =>
        Prop.ForAll(Sequences().ToArbitrary(), sequence => Check(sequence, Tight));

    internal static Gen<(ClusterSnapshot[] Steps, int Seed)> Sequences() =>
        from count in Gen.Choose(2, 4)
        from clusters in Gen.ListOf(RandomClusters.Cluster, count)
        from seed in Gen.Choose(0, int.MaxValue)
        select (clusters.Select(c => Renamed(c.Snapshot)).ToArray(), seed);

    /// <summary>Policies named by position, so that the next cluster replaces them under the same key.</summary>
    private static ClusterSnapshot Renamed(ClusterSnapshot snapshot) =>
        snapshot with { Policies = [.. snapshot.Policies.Select((p, i) => p with { Name = $"pol{i}" })] };

    private static bool Check((ClusterSnapshot[] Steps, int Seed) sequence, PolicyOptions options)
    {
        var random = new Random(sequence.Seed);
        var incremental = new IncrementalCompiler(options);
        var model = new Dictionary<ObjectKey, object>();
        foreach (var step in sequence.Steps)
        {
            foreach (var (key, value) in Events(model, step, random))
            {
                var previous = model.GetValueOrDefault(key);
                Apply(incremental, key, value);
                if (value is null)
                {
                    model.Remove(key);
                }
                else
                {
                    model[key] = value;
                }

                var scratch = FromScratch(model);
                foreach (var pod in scratch.Pods)
                {
                    var expected = Describe(PolicyCompiler.CompilePod(scratch, pod, options), options);
                    var actual = Describe(incremental.CompilePod(incremental.Pods[pod.Key]), options);
                    Assert.True(expected == actual, $"after {key}: {pod.Key}\nbefore: {Show(previous)}\nafter: {Show(value)}\nexpected:\n{expected}\nactual:\n{actual}");
                }
            }
        }

        return true;
    }

    /// <summary>Removals of what the next cluster lacks and upserts of everything it holds, shuffled.</summary>
    internal static List<(ObjectKey Key, object? Value)> Events(Dictionary<ObjectKey, object> model, ClusterSnapshot next, Random random)
    {
        var wanted = new Dictionary<ObjectKey, object>();
        foreach (var ns in next.Namespaces)
        {
            wanted[new ObjectKey(ManifestKinds.Namespace, string.Empty, ns.Name)] = ns;
        }

        foreach (var network in next.Networks)
        {
            wanted[new ObjectKey(ManifestKinds.NetworkAttachmentDefinition, network.Namespace, network.Name)] = network;
        }

        foreach (var pod in next.Pods)
        {
            // Some pods stop being endpoints or leave the node between steps.
            var moved = random.Next(6) == 0 ? pod with { NodeName = "elsewhere" } : pod;
            wanted[new ObjectKey(ManifestKinds.Pod, pod.Namespace, pod.Name)] = random.Next(8) == 0 ? moved with { HostNetwork = true } : moved;
        }

        foreach (var policy in next.Policies)
        {
            wanted[new ObjectKey(ManifestKinds.MultiNetworkPolicy, policy.Namespace, policy.Name)] = policy;
        }

        var events = model.Keys.Where(k => !wanted.ContainsKey(k)).Select(k => (k, (object?)null)).ToList();
        events.AddRange(wanted.Select(w => (w.Key, (object?)w.Value)));
        events = [.. events.OrderBy(_ => random.Next())];

        // Label-only and address-only changes of pods already there (a whole new cluster nearly always changes more).
        var result = new List<(ObjectKey Key, object? Value)>();
        var current = new Dictionary<ObjectKey, object>(model);
        foreach (var (key, value) in events)
        {
            result.Add((key, value));
            if (value is null)
            {
                current.Remove(key);
            }
            else
            {
                current[key] = value;
            }

            if (current.Values.OfType<PodInfo>().ToList() is { Count: > 0 } pods && random.Next(2) == 0)
            {
                var pod = pods[random.Next(pods.Count)];
                var changed = random.Next(4) == 0 ? Readdressed(pod, random) : pod with { Labels = pod.Labels.SetItem(LabelKeys[random.Next(3)], LabelValues[random.Next(3)]) };
                var podKey = new ObjectKey(ManifestKinds.Pod, pod.Namespace, pod.Name);
                current[podKey] = changed;
                result.Add((podKey, changed));
            }
        }

        return result;
    }

    private static readonly string[] LabelKeys = ["app", "tier", "team"];
    private static readonly string[] LabelValues = ["web", "db", "red", "other"];

    private static PodInfo Readdressed(PodInfo pod, Random random) => pod with
    {
        Interfaces = [.. pod.Interfaces.Select(i => i with { Addresses = [.. i.Addresses.Select(a => Shifted(a, random.Next(1, 3)))] })],
    };

    private static IPAddress Shifted(IPAddress address, int by)
    {
        var bytes = address.GetAddressBytes();
        bytes[^1] = (byte)(bytes[^1] + by);
        return new IPAddress(bytes);
    }

    private static void Apply(IncrementalCompiler compiler, ObjectKey key, object? value)
    {
        switch (value)
        {
            case PodInfo pod:
                compiler.SetPod(pod);
                break;
            case NamespaceInfo ns:
                compiler.SetNamespace(ns);
                break;
            case NetworkAttachmentInfo network:
                compiler.SetNetwork(network);
                break;
            case PolicyInfo policy:
                compiler.SetPolicy(policy);
                break;
            case null when key.Kind == ManifestKinds.Pod:
                compiler.RemovePod(key.Namespace, key.Name);
                break;
            case null when key.Kind == ManifestKinds.Namespace:
                compiler.RemoveNamespace(key.Name);
                break;
            case null when key.Kind == ManifestKinds.NetworkAttachmentDefinition:
                compiler.RemoveNetwork(new NetworkRef(key.Namespace, key.Name));
                break;
            case null:
                compiler.RemovePolicy(key.Namespace, key.Name);
                break;
        }
    }

    internal static ClusterSnapshot FromScratch(Dictionary<ObjectKey, object> model)
    {
        var builder = new ClusterSnapshotBuilder(SnapshotInputOptions.Cluster);
        foreach (var value in model.Values)
        {
            switch (value)
            {
                case PodInfo pod:
                    builder.SetPod(pod, []);
                    break;
                case NamespaceInfo ns:
                    builder.SetNamespace(ns);
                    break;
                case NetworkAttachmentInfo network:
                    builder.SetNetwork(network, []);
                    break;
                case PolicyInfo policy:
                    builder.SetPolicy(policy, []);
                    break;
            }
        }

        return builder.Build();
    }

    private static string Show(object? value) => value is PodInfo p
        ? $"{p.Key} {p.Phase} host={p.HostNetwork} labels={string.Join(",", p.Labels.Select(l => $"{l.Key}={l.Value}"))} ports={string.Join(",", p.Ports)} ifaces={string.Join(";", p.Interfaces.Select(i => $"{i.Network}:{i.Interface}:{string.Join(",", i.Addresses)}"))}"
        : value?.ToString() ?? "(none)";

    /// <summary>Everything a backend would commit and the agent would report, as text.</summary>
    internal static string Describe(PodRules? rules, PolicyOptions options)
    {
        if (rules is null)
        {
            return "(no rules)";
        }

        var nft = NftRenderer.Render(rules, options);
        return string.Join(
            "\n",
            IptablesSaveWriter.Write(TableRenderer.Render(rules, IpFamily.V4, options)),
            IptablesSaveWriter.Write(TableRenderer.Render(rules, IpFamily.V6, options)),
            nft is null ? "(no nft table)" : NftText.Write(nft),
            string.Join("\n", rules.Problems),
            PodRulesFingerprint.Of(rules).ToString());
    }
}
