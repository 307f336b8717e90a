using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Mnp.Agent.Sources.Kubernetes;

namespace Mnp.Agent.Observability.Events;

/// <summary>
/// Posts Warning Events (core v1) with <c>reportingComponent: mnp-agent</c> and <c>reportingInstance</c> = the node. An
/// event that already exists (same hashed name: posted before a restart) is patched with its count + 1, as KubeOps does.
/// </summary>
public sealed class KubeEventPublisher(KubeApiClient api, string node, TimeProvider time)
{
    public const string Component = "mnp-agent";

    public async Task PublishAsync(AgentEvent agentEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        var now = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var ns = agentEvent.Namespace.Length == 0 ? "default" : agentEvent.Namespace;
        var involved = new JsonObject
        {
            ["kind"] = agentEvent.Kind,
            ["apiVersion"] = agentEvent.ApiVersion,
            ["namespace"] = agentEvent.Namespace,
            ["name"] = agentEvent.ObjectName,
        };
        if (agentEvent.Uid is not null)
        {
            involved["uid"] = agentEvent.Uid;
        }

        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = agentEvent.Name, ["namespace"] = ns },
            ["involvedObject"] = involved,
            ["reason"] = agentEvent.Reason,
            ["message"] = agentEvent.Message.Length > 1024 ? agentEvent.Message[..1024] : agentEvent.Message,
            ["type"] = "Warning",
            ["count"] = 1,
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["source"] = new JsonObject { ["component"] = Component, ["host"] = node },
            ["reportingComponent"] = Component,
            ["reportingInstance"] = node,
        };
        var path = $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/events";
        var status = await api.SendJsonAsync(HttpMethod.Post, path, body.ToJsonString(), "application/json", cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.Conflict)
        {
            var count = await api.GetCountAsync($"{path}/{Uri.EscapeDataString(agentEvent.Name)}", cancellationToken).ConfigureAwait(false);
            var patch = new JsonObject { ["count"] = count + 1, ["lastTimestamp"] = now }.ToJsonString();
            status = await api.SendJsonAsync(HttpMethod.Patch, $"{path}/{Uri.EscapeDataString(agentEvent.Name)}", patch, "application/merge-patch+json", cancellationToken).ConfigureAwait(false);
        }

        if ((int)status >= 300)
        {
            throw new KubeApiException(status, $"event {agentEvent.Name}: {(int)status}");
        }
    }
}
