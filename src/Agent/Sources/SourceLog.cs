using Microsoft.Extensions.Logging;

namespace Mnp.Agent.Sources;

/// <summary>The sources' log lines (source-generated).</summary>
internal static partial class SourceLog
{
    [LoggerMessage(7, LogLevel.Warning, "Manifests in {Directory} unreadable, keeping the last good view: {Error}")]
    public static partial void ManifestsUnreadable(ILogger logger, string directory, string error);

    [LoggerMessage(9, LogLevel.Error, "Source {Source} failed, restarting in {DelayMs} ms: {Error}")]
    public static partial void SourceFailed(ILogger logger, string source, long delayMs, string error);

    [LoggerMessage(10, LogLevel.Warning, "{Kind}: watch failed, reconnecting in {DelayMs} ms (cache kept): {Error}")]
    public static partial void WatchFailed(ILogger logger, string kind, long delayMs, string error);

    [LoggerMessage(11, LogLevel.Information, "{Kind}: resourceVersion {ResourceVersion} expired (410 Gone), listing again")]
    public static partial void WatchExpired(ILogger logger, string kind, string resourceVersion);

    [LoggerMessage(12, LogLevel.Information, "{Kind}: listed {Count} object(s) at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string kind, int count, string resourceVersion);
}
