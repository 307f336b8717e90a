using Mnp.Agent.Lab;
using Mnp.Agent.Manifests;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Operations;

/// <summary>
/// The lab as the node for inspect and cleanup: its pods and their named namespaces (from its state), and the
/// cluster the engine compiles for it (its manifests folder on the lab node, with the settings it recorded).
/// </summary>
public sealed class LabTargets(LabStore store, NamedNetns namespaces, string lab)
{
    public LabState State { get; } = LoadState(store, lab);

    /// <summary>Every lab pod (no keys), or the named ones; a name the lab lacks is an error.</summary>
    public IReadOnlyList<InspectTarget> Targets(IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var pods = keys.Count == 0
            ? [.. State.Pods]
            : keys.Select(k => State.FindPod(k) ?? throw new LabException($"pod {k}: not a pod of lab {lab}")).ToList();
        return [.. pods.Select(p => namespaces.Exists(p.Netns)
            ? new InspectTarget(p.Key, namespaces.RefOf(p.Netns))
            : throw new LabException($"pod {p.Key}: network namespace {p.Netns} of lab {lab} is missing (mnp lab apply repairs it)"))];
    }

    /// <summary>The lab's objects as the engine sees them on the lab node.</summary>
    public ClusterSnapshot Snapshot()
    {
        var loaded = ManifestLoader.Load([store.ManifestsDirectory(lab)]);
        return LabCluster.Materialize(ClusterSnapshotBuilder.FromManifests(loaded.Objects), State);
    }

    /// <summary>The settings the lab's rules were compiled with (recorded at up), unless overridden.</summary>
    public PolicyOptions Options(PolicyOptions? given) => given ?? store.LoadPolicySettings(lab)?.ToOptions() ?? PolicyOptions.Default;

    private static LabState LoadState(LabStore store, string lab)
    {
        ArgumentNullException.ThrowIfNull(store);
        LabPlanner.ValidateLabName(lab);
        return store.Load(lab) ?? throw new LabException($"lab {lab}: no such lab (mnp lab up --lab {lab} -f ...)");
    }
}
