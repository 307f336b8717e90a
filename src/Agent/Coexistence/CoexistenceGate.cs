using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mnp.Agent.Observability.Events;
using Mnp.Agent.Sources.Kubernetes;

namespace Mnp.Agent.Coexistence;

/// <summary>
/// The agent's start-up check (docs/operations.md §9), for the API sources only (files and labs have no OpenShift operator):
/// when OpenShift's own agent is enabled, runs <see cref="CoexistenceHold"/> instead of the agent and returns its exit
/// code; otherwise returns null and the agent starts. An API that cannot be reached is retried (the agent could not
/// program anything without it either); a refused read is logged and the agent starts.
/// </summary>
public static class CoexistenceGate
{
    public static async Task<int?> HoldIfConflictAsync(CoexistenceCheck options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var logs = LoggerFactory.Create(b => b.AddJsonConsole(o => o.UseUtcTimestamp = true));
        var logger = logs.CreateLogger(typeof(CoexistenceGate));
        if (!options.ApiSource)
        {
            return null;
        }

        if (options.Ignore)
        {
            CoexistenceLog.Skipped(logger);
            return null;
        }

        using var api = new KubeApiClient(KubeApiClient.LoadConfiguration(options.Kubeconfig, options.Master));
        var conflict = await DetectAsync(api, logger, cancellationToken).ConfigureAwait(false);
        if (conflict is null)
        {
            return null;
        }

        var events = new KubeEventPublisher(api, options.NodeName, TimeProvider.System);
        var app = CoexistenceHold.Build(options.Listen, options.NodeName, conflict, events.PublishAsync);
        await using (app.ConfigureAwait(false))
        {
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<string?> DetectAsync(KubeApiClient api, ILogger logger, CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await OpenShiftMultiNetworkPolicy.DetectAsync(api, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Status is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized)
            {
                CoexistenceLog.Unknown(logger, e.Message);
                return null;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                CoexistenceLog.Retrying(logger, e.Message, (long)ResourceWatcher.Backoff(failures).TotalMilliseconds);
                await Task.Delay(ResourceWatcher.Backoff(failures), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
