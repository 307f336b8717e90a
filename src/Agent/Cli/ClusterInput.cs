using Mnp.Agent.Manifests;
using Mnp.Agent.Operations;
using Mnp.Agent.Sources.Kubernetes;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;

namespace Mnp.Agent.Cli;

/// <summary>Loads the <c>-f</c> manifests, or a live cluster's objects, into a snapshot; skipped objects and invalid parts go to stderr, one line each.</summary>
internal static class ClusterInput
{
    public static ClusterSnapshot Load(IEnumerable<string> paths, TextWriter errors)
    {
        var loaded = ManifestLoader.Load(paths);
        foreach (var warning in loaded.Warnings)
        {
            errors.WriteLine($"mnp: warning: {warning}");
        }

        return Report(ClusterSnapshotBuilder.FromManifests(loaded.Objects), errors);
    }

    /// <summary>
    /// The cluster's objects through <paramref name="kubeconfig"/> (its current context, or <paramref name="context"/>; null: the
    /// <c>KUBECONFIG</c> variable, else <c>~/.kube/config</c>, else the in-cluster service account). An unreachable or
    /// refusing API is one line naming the server.
    /// </summary>
    public static Task<ClusterSnapshot> LoadFromApiAsync(string? kubeconfig, string? context, TextWriter errors, CancellationToken cancellationToken) =>
        LoadFromApiAsync(KubeconfigChoice.Load(kubeconfig, context), errors, cancellationToken);

    /// <summary>The cluster's objects through an already chosen configuration.</summary>
    public static async Task<ClusterSnapshot> LoadFromApiAsync(k8s.KubernetesClientConfiguration configuration, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        using var api = new KubeApiClient(configuration);
        try
        {
            return Report(await ApiClusterReader.ReadAsync(api, cancellationToken).ConfigureAwait(false), errors);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"API server {configuration.Host}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static ClusterSnapshot Report(ClusterSnapshot snapshot, TextWriter errors)
    {
        foreach (var problem in snapshot.Problems)
        {
            errors.WriteLine($"mnp: invalid: {problem}");
        }

        return snapshot;
    }
}
