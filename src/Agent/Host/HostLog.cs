using Microsoft.Extensions.Logging;

namespace Mnp.Agent.Host;

/// <summary>The host's log lines (source-generated).</summary>
internal static partial class HostLog
{
    [LoggerMessage(1, LogLevel.Information, "Agent starting on node {Node}: source {Source}, backend {Backend}, sync period {SyncPeriodSeconds} s, listening on {Listen}")]
    public static partial void Starting(ILogger logger, string node, string source, string backend, double syncPeriodSeconds, string listen);

    [LoggerMessage(2, LogLevel.Information, "Agent stopping: rules stay in place")]
    public static partial void Stopping(ILogger logger);
}
