using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mnp.Agent.Observability;
using Mnp.Agent.Observability.Events;
using Mnp.Agent.Sources;
using Mnp.Agent.Sync;

namespace Mnp.Agent.Host;

/// <summary>
/// <c>mnp agent</c> on the generic host: one source pump per source, one sync loop, and one Kestrel listener with
/// <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>. JSON logs with scopes on stdout. SIGTERM/SIGINT stop the
/// loops and the process exits 0 with every rule left in place (nothing runs on shutdown).
/// </summary>
public static class AgentHost
{
    public static WebApplication Build(AgentOptions options, AgentParts parts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parts);
        var builder = AgentWebApplication.CreateBuilder(options.Listen);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var changes = Channel.CreateUnbounded<ClusterChange>(new UnboundedChannelOptions { SingleReader = true });
        var health = new AgentHealth(parts.Time, options.SyncPeriod);
        builder.Services.AddSingleton(parts.Time);
        builder.Services.AddSingleton(health);
        builder.Services.AddSingleton<AgentMetrics>();
        builder.Services.AddSingleton<MetricsExporter>();
        builder.Services.AddSingleton(sp => parts.CreateSource(sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(sp => new SyncEngine(
            sp.GetRequiredService<IClusterSource>().Kinds, parts.Input, options.NodeName, options.Policy, parts.Syncer, parts.Time,
            sp.GetRequiredService<AgentMetrics>(), sp.GetRequiredService<ILogger<SyncEngine>>()));
        builder.Services.AddSingleton(sp => new SyncWorker(
            changes.Reader, sp.GetRequiredService<SyncEngine>(), health, parts.Time, options.SyncPeriod, sp.GetRequiredService<ILogger<SyncWorker>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SyncWorker>());
        builder.Services.AddHostedService(sp => new SourcePump(sp.GetRequiredService<IClusterSource>(), changes.Writer, parts.Time, sp.GetRequiredService<ILogger<SourcePump>>()));

        builder.Services.AddSingleton(sp => new EventPump(parts.PublishEvent ?? ((_, _) => Task.CompletedTask), sp.GetRequiredService<ILogger<EventPump>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EventPump>());
        var app = builder.Build();
        var collector = new EventCollector(options.NodeName);
        var engine = app.Services.GetRequiredService<SyncEngine>();
        var pump = app.Services.GetRequiredService<EventPump>();
        app.Services.GetRequiredService<SyncWorker>().PassCompleted += pass =>
            pump.Post(collector.Collect(engine.EventInputs, pass.Pods.Where(p => p.Outcome == Reconcile.PodSyncOutcome.Failed)));
        // The exporter listens from the start, so what the first sync records is kept for the first scrape.
        _ = app.Services.GetRequiredService<MetricsExporter>();
        app.MapGet("/healthz", () => health.IsAlive ? Results.Text("ok\n") : Results.Text("sync loop stalled\n", statusCode: 503));
        app.MapGet("/readyz", () => health.IsReady ? Results.Text("ready\n") : Results.Text("not ready: initial lists or first sync pending\n", statusCode: 503));
        app.MapGet("/metrics", async (HttpContext context, MetricsExporter exporter) =>
        {
            context.Response.ContentType = MetricsExporter.ContentType;
            await exporter.WriteAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        app.Lifetime.ApplicationStarted.Register(() => HostLog.Starting(
            app.Services.GetRequiredService<ILogger<AgentOptions>>(), options.NodeName, parts.SourceName, parts.BackendName,
            options.SyncPeriod.TotalSeconds, options.Listen.ToString()));
        app.Lifetime.ApplicationStopping.Register(() => HostLog.Stopping(app.Services.GetRequiredService<ILogger<AgentOptions>>()));
        return app;
    }

    /// <summary>Runs until SIGTERM/SIGINT; 0 on a clean stop.</summary>
    public static async Task<int> RunAsync(AgentOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Held for the agent's life: mnp cleanup refuses while it is, and a second agent on the node does not start.
        using var presence = Operations.AgentPresence.Acquire(Operations.AgentPresence.PathFor(options.Lab, options.HostPrefix));
        if (await Coexistence.CoexistenceGate.HoldIfConflictAsync(options.ToCoexistenceCheck(), cancellationToken).ConfigureAwait(false) is { } held)
        {
            return held;
        }

        var parts = AgentAssembly.Create(options);
        try
        {
            var app = Build(options, parts);
            await using (app.ConfigureAwait(false))
            {
                await app.RunAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }
        finally
        {
            foreach (var owned in parts.Owned)
            {
                owned.Dispose();
            }
        }
    }
}
