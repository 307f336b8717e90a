using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mnp.Agent.Host;
using Mnp.Agent.Sources.Kubernetes;
using Mnp.Agent.Sync;

namespace Mnp.Agent.Observability.Events;

/// <summary>After each sync pass, collects the Events to post (<see cref="EventCollector"/>) and posts them off the sync loop; a post that fails is logged and dropped (Events are best effort).</summary>
public sealed class EventPump : BackgroundService
{
    private readonly Channel<AgentEvent> _queue = Channel.CreateBounded<AgentEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Func<AgentEvent, CancellationToken, Task> _publish;
    private readonly ILogger<EventPump> _logger;

    public EventPump(SyncWorker worker, SyncEngine engine, EventCollector collector, Func<AgentEvent, CancellationToken, Task> publish, ILogger<EventPump> logger)
    {
        ArgumentNullException.ThrowIfNull(worker);
        _publish = publish;
        _logger = logger;
        worker.PassCompleted += pass =>
        {
            foreach (var agentEvent in collector.Collect(engine.Snapshot, pass.Pods.Where(p => p.Outcome == Reconcile.PodSyncOutcome.Failed)))
            {
                if (agentEvent.Reason != EventReasons.PolicyApplyFailed)
                {
                    AgentLog.PolicyProblem(_logger, $"{agentEvent.Kind} {agentEvent.Namespace}/{agentEvent.ObjectName}: {agentEvent.Reason}: {agentEvent.Message}");
                }

                _queue.Writer.TryWrite(agentEvent);
            }
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var agentEvent in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await _publish(agentEvent, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
                {
                    AgentLog.EventFailed(_logger, agentEvent.Reason, $"{agentEvent.Kind} {agentEvent.Namespace}/{agentEvent.ObjectName}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
