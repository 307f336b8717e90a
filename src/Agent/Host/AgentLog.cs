using Microsoft.Extensions.Logging;

namespace Mnp.Agent.Host;

/// <summary>The agent's log lines (source-generated). Never one per rule; never from inside a netns job.</summary>
internal static partial class AgentLog
{
    [LoggerMessage(1, LogLevel.Information, "Agent starting on node {Node}: source {Source}, backend {Backend}, sync period {SyncPeriodSeconds} s, listening on {Listen}")]
    public static partial void Starting(ILogger logger, string node, string source, string backend, double syncPeriodSeconds, string listen);

    [LoggerMessage(2, LogLevel.Information, "Agent stopping: rules stay in place")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(3, LogLevel.Information, "Applied {RuleCount} rules to {Namespace}/{Pod} in {ElapsedMs} ms")]
    public static partial void PodRulesCommitted(ILogger logger, string @namespace, string pod, int ruleCount, long elapsedMs);

    [LoggerMessage(4, LogLevel.Warning, "Sync of {Namespace}/{Pod} failed ({Reason}, attempt {Attempt}), retrying in {RetryMs} ms: {Error}")]
    public static partial void PodSyncFailed(ILogger logger, string @namespace, string pod, string reason, int attempt, long retryMs, string error);

    [LoggerMessage(5, LogLevel.Information, "Sync ({Kind}): {Written} pod(s) written, {Failed} failed, {LocalPods} local pod(s), {ElapsedMs} ms")]
    public static partial void SyncPassDone(ILogger logger, string kind, int written, int failed, int localPods, long elapsedMs);

    [LoggerMessage(6, LogLevel.Warning, "Ignored: {Problem}")]
    public static partial void ObjectIgnored(ILogger logger, string problem);

    [LoggerMessage(7, LogLevel.Warning, "Manifests in {Directory} unreadable, keeping the last good view: {Error}")]
    public static partial void ManifestsUnreadable(ILogger logger, string directory, string error);

    [LoggerMessage(8, LogLevel.Information, "Ready: every initial list complete and every local pod synced")]
    public static partial void Ready(ILogger logger);

    [LoggerMessage(9, LogLevel.Error, "Source {Source} failed, restarting in {DelayMs} ms: {Error}")]
    public static partial void SourceFailed(ILogger logger, string source, long delayMs, string error);

    [LoggerMessage(10, LogLevel.Warning, "{Kind}: watch failed, reconnecting in {DelayMs} ms (cache kept): {Error}")]
    public static partial void WatchFailed(ILogger logger, string kind, long delayMs, string error);

    [LoggerMessage(11, LogLevel.Information, "{Kind}: resourceVersion {ResourceVersion} expired (410 Gone), listing again")]
    public static partial void WatchExpired(ILogger logger, string kind, string resourceVersion);

    [LoggerMessage(12, LogLevel.Information, "{Kind}: listed {Count} object(s) at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string kind, int count, string resourceVersion);

    [LoggerMessage(13, LogLevel.Warning, "Policy problem: {Problem}")]
    public static partial void PolicyProblem(ILogger logger, string problem);

    [LoggerMessage(14, LogLevel.Warning, "Event {Reason} on {Object} not posted: {Error}")]
    public static partial void EventFailed(ILogger logger, string reason, string @object, string error);
}
