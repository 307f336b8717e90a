using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mnp.Agent.Observability;
using Mnp.Agent.Observability.Events;

namespace Mnp.Agent.Coexistence;

/// <summary>
/// The agent while another MultiNetworkPolicy implementation owns the node: no source, no sync, nothing programmed;
/// <c>/healthz</c> 200 (the process is fine, restarting it would not help), <c>/readyz</c> 503 naming the conflict, one
/// Error log line and one Warning Event (reason <see cref="Reason"/>) on the network operator's <c>cluster</c> object.
/// Runs until SIGTERM/SIGINT; the check is made at start, so the agent is restarted once the conflict is resolved.
/// </summary>
public static class CoexistenceHold
{
    public const string Reason = "MultiNetworkPolicyConflict";

    /// <param name="listen">Where /healthz and /readyz are served (the agent's --listen).</param>
    /// <param name="node">This node, for the Event's name (one per node, counted on repeats).</param>
    /// <param name="conflict">The conflict in one line.</param>
    /// <param name="publish">Posts the Event.</param>
    public static WebApplication Build(System.Net.IPEndPoint listen, string node, string conflict, Func<AgentEvent, CancellationToken, Task> publish)
    {
        ArgumentNullException.ThrowIfNull(publish);
        var builder = AgentWebApplication.CreateBuilder(listen);
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => Results.Text($"not ready: {conflict}\n", statusCode: 503));
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CoexistenceHold));
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            CoexistenceLog.Holding(logger, conflict);
            var name = EventCollector.EventName("Network", string.Empty, "cluster", Reason, conflict, node);
            var warning = new AgentEvent("Network", "operator.openshift.io/v1", string.Empty, "cluster", null, Reason, conflict, name);
            _ = Task.Run(async () =>
            {
                try
                {
                    await publish(warning, app.Lifetime.ApplicationStopping).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    CoexistenceLog.EventFailed(logger, Reason, e.Message);
                }
            });
        });
        return app;
    }
}
