using Microsoft.Extensions.Logging;

namespace Mnp.Agent.Coexistence;

/// <summary>The coexistence check's log lines (source-generated).</summary>
internal static partial class CoexistenceLog
{
    [LoggerMessage(101, LogLevel.Error, "Not programming anything and staying NotReady: {Conflict}")]
    public static partial void Holding(ILogger logger, string conflict);

    [LoggerMessage(102, LogLevel.Warning, "Could not post the {Reason} Event: {Error}")]
    public static partial void EventFailed(ILogger logger, string reason, string error);

    [LoggerMessage(103, LogLevel.Warning, "Cannot tell whether OpenShift's MultiNetworkPolicy agent is enabled ({Error}); proceeding (the ClusterRole grants get on networks.operator.openshift.io)")]
    public static partial void Unknown(ILogger logger, string error);

    [LoggerMessage(105, LogLevel.Warning, "Cannot read networks.operator.openshift.io/cluster yet ({Error}); retrying in {RetryMs} ms")]
    public static partial void Retrying(ILogger logger, string error, long retryMs);

    [LoggerMessage(104, LogLevel.Warning, "Coexistence check skipped (--ignore-openshift-mnp-agent): OpenShift's MultiNetworkPolicy agent, if enabled, programs the same pods")]
    public static partial void Skipped(ILogger logger);
}
