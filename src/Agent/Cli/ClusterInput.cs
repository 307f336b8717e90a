using Mnp.Agent.Manifests;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;

namespace Mnp.Agent.Cli;

/// <summary>Loads the <c>-f</c> manifests into a snapshot; skipped objects and invalid parts go to stderr, one line each.</summary>
internal static class ClusterInput
{
    public static ClusterSnapshot Load(IEnumerable<string> paths, TextWriter errors)
    {
        var loaded = ManifestLoader.Load(paths);
        foreach (var warning in loaded.Warnings)
        {
            errors.WriteLine($"mnp: warning: {warning}");
        }

        var snapshot = ClusterSnapshotBuilder.FromManifests(loaded.Objects);
        foreach (var problem in snapshot.Problems)
        {
            errors.WriteLine($"mnp: invalid: {problem}");
        }

        return snapshot;
    }
}
