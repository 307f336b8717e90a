using Microsoft.Extensions.Logging;

namespace Mnp.Agent.Observability.Events;

/// <summary>The Events reporter's log lines (source-generated).</summary>
internal static partial class EventLog
{
    [LoggerMessage(13, LogLevel.Warning, "Policy problem: {Problem}")]
    public static partial void PolicyProblem(ILogger logger, string problem);

    [LoggerMessage(14, LogLevel.Warning, "Event {Reason} on {Object} not posted: {Error}")]
    public static partial void EventFailed(ILogger logger, string reason, string @object, string error);
}
