using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mnp.Agent.Sources.Kubernetes;

namespace Mnp.Agent.Observability.Events;

/// <summary>Posts the Events the host collects after each sync pass (<see cref="EventCollector"/>) off the sync loop; a post that fails is logged and dropped (Events are best effort).</summary>
public sealed class EventPump : BackgroundService
{
    private readonly Channel<AgentEvent> _queue = Channel.CreateBounded<AgentEvent>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Func<AgentEvent, CancellationToken, Task> _publish;
    private readonly ILogger<EventPump> _logger;

    public EventPump(Func<AgentEvent, CancellationToken, Task> publish, ILogger<EventPump> logger)
    {
        _publish = publish;
        _logger = logger;
    }

    /// <summary>Logs the policy problems among <paramref name="events"/> and queues every one for posting (called by the sync loop, never blocks).</summary>
    public void Post(IEnumerable<AgentEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var agentEvent in events)
        {
            if (agentEvent.Reason != EventReasons.PolicyApplyFailed)
            {
                EventLog.PolicyProblem(_logger, $"{agentEvent.Kind} {agentEvent.Namespace}/{agentEvent.ObjectName}: {agentEvent.Reason}: {agentEvent.Message}");
            }

            _queue.Writer.TryWrite(agentEvent);
        }
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
                    EventLog.EventFailed(_logger, agentEvent.Reason, $"{agentEvent.Kind} {agentEvent.Namespace}/{agentEvent.ObjectName}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
