using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Mnp.Policy.Input;

namespace Mnp.Agent.Sources.Kubernetes;

/// <summary>
/// List then watch one kind, forever: watch from the list's resourceVersion with bookmarks, resume from the last
/// version seen when a stream ends or drops, list again on 410 Gone (reporting what vanished meanwhile as removed),
/// and retry failures with exponential backoff and jitter capped at <see cref="MaxBackoff"/>, so the end of an outage
/// is noticed within seconds. While the API is unreachable nothing is reported: the cache stays as it was.
/// </summary>
public sealed class ResourceWatcher(KubeApiClient api, WatchedResource resource, ChannelWriter<ClusterChange> changes, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(3);

    private readonly HashSet<ObjectKey> _known = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string? resourceVersion = null;
        var listed = false;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await ListAsync(cancellationToken).ConfigureAwait(false);
                    failures = 0;
                    if (!listed)
                    {
                        listed = true;
                        await changes.WriteAsync(ClusterChange.Listed(resource.Kind, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                    }
                }

                await foreach (var watchEvent in api.WatchAsync(resource.Path, resourceVersion, cancellationToken).ConfigureAwait(false))
                {
                    failures = 0;
                    resourceVersion = WatchedResource.ResourceVersionOf(watchEvent.Object) ?? resourceVersion;
                    await ReportAsync(watchEvent, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                SourceLog.WatchExpired(logger, resource.Kind, resourceVersion ?? "(none)");
                resourceVersion = null;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or System.Text.Json.JsonException or OperationCanceledException)
            {
                failures++;
                var delay = Backoff(failures);
                SourceLog.WatchFailed(logger, resource.Kind, (long)delay.TotalMilliseconds, e.Message);
                try
                {
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public static TimeSpan Backoff(int failures)
    {
        var raw = Math.Min(InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 20)), MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Min(raw * (0.8 + (0.4 * Random.Shared.NextDouble())), MaxBackoff.TotalMilliseconds));
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var list = await api.ListAsync(resource.Path, cancellationToken).ConfigureAwait(false);
        var seen = time.GetUtcNow();
        var fresh = new HashSet<ObjectKey>();
        foreach (var item in list.Items)
        {
            var key = resource.KeyOf(item);
            fresh.Add(key);
            var (value, problems) = resource.Trim(item);
            await changes.WriteAsync(new ClusterChange(ClusterChangeKind.Upsert, key, value, problems, seen), cancellationToken).ConfigureAwait(false);
        }

        foreach (var gone in _known.Where(k => !fresh.Contains(k)).ToList())
        {
            await changes.WriteAsync(ClusterChange.Removed(gone, seen), cancellationToken).ConfigureAwait(false);
        }

        _known.Clear();
        _known.UnionWith(fresh);
        SourceLog.Listed(logger, resource.Kind, list.Items.Length, list.ResourceVersion);
        return list.ResourceVersion;
    }

    private async Task ReportAsync(WatchEvent watchEvent, CancellationToken cancellationToken)
    {
        if (watchEvent.Type is not ("ADDED" or "MODIFIED" or "DELETED"))
        {
            return; // BOOKMARK: only its resourceVersion matters
        }

        var key = resource.KeyOf(watchEvent.Object);
        var seen = time.GetUtcNow();
        if (watchEvent.Type == "DELETED")
        {
            _known.Remove(key);
            await changes.WriteAsync(ClusterChange.Removed(key, seen), cancellationToken).ConfigureAwait(false);
            return;
        }

        _known.Add(key);
        var (value, problems) = resource.Trim(watchEvent.Object);
        await changes.WriteAsync(new ClusterChange(ClusterChangeKind.Upsert, key, value, problems, seen), cancellationToken).ConfigureAwait(false);
    }
}
