using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mnp.Agent.Sources;

/// <summary>Copies a source's changes into the sync loop's channel; a source that fails unexpectedly is restarted after a pause (the cache is kept).</summary>
public sealed class SourcePump(IClusterSource source, ChannelWriter<ClusterChange> changes, TimeProvider time, ILogger<SourcePump> logger) : BackgroundService
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in source.WatchAsync(stoppingToken).ConfigureAwait(false))
                {
                    await changes.WriteAsync(change, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SourceLog.SourceFailed(logger, source.GetType().Name, (long)RestartDelay.TotalMilliseconds, e.Message);
            }

            try
            {
                await Task.Delay(RestartDelay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
