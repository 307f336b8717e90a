using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mnp.Agent.Observability;
using Mnp.Agent.Sources;

namespace Mnp.Agent.Sync;

/// <summary>
/// The sync loop: waits for a change, a due retry or the periodic resync, drains every change that has arrived
/// (so a burst coalesces into one pass), and runs one pass of the <see cref="SyncEngine"/>. The only code that
/// writes rules. Stopping cancels the loop between pods; rules stay as they are.
/// </summary>
public sealed class SyncWorker(
    ChannelReader<ClusterChange> changes, SyncEngine engine, AgentHealth health, TimeProvider time, TimeSpan syncPeriod, ILogger<SyncWorker> logger)
    : BackgroundService
{
    /// <summary>Raised after each pass (tests and the Events reporter look at the snapshot).</summary>
    public event Action<SyncPass>? PassCompleted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextResync = time.GetUtcNow() + syncPeriod;
        while (!stoppingToken.IsCancellationRequested)
        {
            health.Beat();
            var now = time.GetUtcNow();
            var wake = engine.NextRetry is { } retry && retry < nextResync ? retry : nextResync;
            if (!await WaitAsync(wake - now, stoppingToken).ConfigureAwait(false))
            {
                break;
            }

            while (changes.TryRead(out var change))
            {
                engine.Apply(change);
            }

            now = time.GetUtcNow();
            var full = now >= nextResync;
            if (full)
            {
                nextResync = now + syncPeriod;
            }

            if (!engine.Listed || !(full || engine.HasPending || engine.NextRetry <= now))
            {
                continue;
            }

            SyncPass pass;
            try
            {
                // The first pass after the lists is full: it replaces whatever a previous agent left.
                pass = await engine.SyncAsync(full || !health.IsReady, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            if (!health.IsReady && engine.FailingPods.Count == 0)
            {
                health.MarkReady();
                SyncLog.Ready(logger);
            }

            PassCompleted?.Invoke(pass);
        }
    }

    /// <summary>True when woken by a change or the timeout; false when stopping.</summary>
    private async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return !stoppingToken.IsCancellationRequested;
        }

        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, stoppingToken);
        try
        {
            return await changes.WaitToReadAsync(linked.Token).ConfigureAwait(false) || !stoppingToken.IsCancellationRequested;
        }
        catch (OperationCanceledException)
        {
            return !stoppingToken.IsCancellationRequested;
        }
    }
}
