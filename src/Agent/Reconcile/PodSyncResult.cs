using System.Collections.Immutable;
using Mnp.Native.Backends;

namespace Mnp.Agent.Reconcile;

/// <summary>
/// The outcome of one pod's sync: <see cref="Rules"/> is the number of rules we own there now (both families),
/// as the backend reports it (0 when the sync failed before anything was written).
/// </summary>
public sealed record PodSyncResult(string Pod, PodSyncOutcome Outcome, int Rules, TimeSpan Elapsed, PodSyncFailure? Failure)
{
    /// <summary>The backend's transactions (one per family and table for iptables, one inet batch for nftables); empty when none ran.</summary>
    public ImmutableArray<BackendTransaction> Transactions { get; init; } = [];

    /// <summary>The failure as one line naming the pod, or null.</summary>
    public string? Error => Failure is null ? null : $"pod {Pod}: {Failure}";
}
