namespace Mnp.Agent.Reconcile;

/// <summary>The outcome of one pod's sync: <see cref="Rules"/> is the number of rules we own there now (both families).</summary>
public sealed record PodSyncResult(string Pod, PodSyncOutcome Outcome, int Rules, TimeSpan Elapsed, string? Error);
