using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Mnp.Policy.Input;

namespace Mnp.Agent.Sources.Kubernetes;

/// <summary>
/// The cluster from the API: Pods (cluster-wide: peers live on other nodes), Namespaces, NetworkAttachmentDefinitions
/// and MultiNetworkPolicies (v1beta2 when discovery says it is served, else v1beta1), each with its own
/// <see cref="ResourceWatcher"/>, merged into one stream.
/// </summary>
public sealed class KubernetesSource(KubeApiClient api, TimeProvider time, ILoggerFactory logs) : IClusterSource
{
    public IReadOnlyCollection<string> Kinds { get; } =
        [ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy];


    public async IAsyncEnumerable<ClusterChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var changes = Channel.CreateUnbounded<ClusterChange>(new UnboundedChannelOptions { SingleReader = true });
        var logger = logs.CreateLogger<KubernetesSource>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var policies = WatchedResource.Policies(await PolicyVersionAsync(stop.Token).ConfigureAwait(false));
        WatchedResource[] resources = [WatchedResource.Namespaces, WatchedResource.Networks, policies, WatchedResource.Pods];
        var watchers = resources.Select(r => new ResourceWatcher(api, r, changes.Writer, time, logger).RunAsync(stop.Token)).ToArray();
        try
        {
            while (await changes.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                while (changes.Reader.TryRead(out var change))
                {
                    yield return change;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(watchers).ConfigureAwait(false);
        }
    }

    /// <summary>v1beta2 when the API serves it; v1beta1 otherwise (also when discovery cannot be read: v1beta1 is always served).</summary>
    private async Task<string> PolicyVersionAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                return await api.IsServedAsync("k8s.cni.cncf.io/v1beta2", "multi-networkpolicies", cancellationToken).ConfigureAwait(false) ? "v1beta2" : "v1beta1";
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                failures++;
                SourceLog.WatchFailed(logs.CreateLogger<KubernetesSource>(), "discovery", (long)ResourceWatcher.Backoff(failures).TotalMilliseconds, e.Message);
                await Task.Delay(ResourceWatcher.Backoff(failures), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
