using System.Net;
using System.Text.Json;
using Mnp.Agent.Sources.Kubernetes;

namespace Mnp.Agent.Coexistence;

/// <summary>
/// Whether OpenShift's own MultiNetworkPolicy agent is enabled: <c>spec.useMultiNetworkPolicy: true</c> on
/// <c>networks.operator.openshift.io/cluster</c> (docs/operations.md §9). It programs the same pod namespaces, so both rule sets
/// would run on every packet. Not found (a cluster without the OpenShift network operator) is no conflict; a refused
/// read (403: the ClusterRole lacks the get) cannot tell, which the caller reports and then proceeds.
/// </summary>
public static class OpenShiftMultiNetworkPolicy
{
    public const string Path = "/apis/operator.openshift.io/v1/networks/cluster";

    /// <returns>The conflict in one line, or null when there is none.</returns>
    /// <exception cref="KubeApiException">The object could not be read (403 among others).</exception>
    public static async Task<string?> DetectAsync(KubeApiClient api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var (status, body) = await api.GetAsync(Path, cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (body is not { ValueKind: JsonValueKind.Object } network)
        {
            throw new KubeApiException(status, $"GET {Path}: {(int)status}");
        }

        var enabled = network.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object
            && spec.TryGetProperty("useMultiNetworkPolicy", out var use) && use.ValueKind == JsonValueKind.True;
        return enabled
            ? "OpenShift's own MultiNetworkPolicy agent is enabled (spec.useMultiNetworkPolicy: true on networks.operator.openshift.io/cluster): " +
              "two implementations would program the same pods, so mnp programs nothing; disable one of them (or start mnp with --ignore-openshift-mnp-agent)"
            : null;
    }
}
