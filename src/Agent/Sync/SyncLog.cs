using Microsoft.Extensions.Logging;

namespace Mnp.Agent.Sync;

/// <summary>The sync loop's log lines (source-generated). Never one per rule; never from inside a netns job.</summary>
internal static partial class SyncLog
{
    [LoggerMessage(3, LogLevel.Information, "Applied {RuleCount} rules to {Namespace}/{Pod} in {ElapsedMs} ms")]
    public static partial void PodRulesCommitted(ILogger logger, string @namespace, string pod, int ruleCount, long elapsedMs);

    [LoggerMessage(4, LogLevel.Warning, "Sync of {Namespace}/{Pod} failed ({Reason}, attempt {Attempt}), retrying in {RetryMs} ms: {Error}")]
    public static partial void PodSyncFailed(ILogger logger, string @namespace, string pod, string reason, int attempt, long retryMs, string error);

    [LoggerMessage(5, LogLevel.Information, "Sync ({Kind}): {Written} pod(s) written, {Failed} failed, {LocalPods} local pod(s), {ElapsedMs} ms")]
    public static partial void SyncPassDone(ILogger logger, string kind, int written, int failed, int localPods, long elapsedMs);

    [LoggerMessage(6, LogLevel.Warning, "Ignored: {Problem}")]
    public static partial void ObjectIgnored(ILogger logger, string problem);

    [LoggerMessage(8, LogLevel.Information, "Ready: every initial list complete and every local pod synced")]
    public static partial void Ready(ILogger logger);
}
