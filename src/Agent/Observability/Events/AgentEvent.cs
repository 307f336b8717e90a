namespace Mnp.Agent.Observability.Events;

/// <summary>A Warning Event to post about an object (docs/operations.md §6). <see cref="Name"/> is the deduplicating event name.</summary>
public sealed record AgentEvent(string Kind, string ApiVersion, string Namespace, string ObjectName, string? Uid, string Reason, string Message, string Name);
