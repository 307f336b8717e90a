namespace Mnp.Agent.Reconcile;

/// <summary>
/// Why one pod's sync failed: the reason, the object the failure concerns (a namespace path, a chain, a
/// library; the pod itself when nothing more precise is known), the one-line message, and what was done to
/// keep the pod from being more open than before (<see cref="FailClosed"/>).
/// </summary>
public sealed record PodSyncFailure(PodSyncFailureReason Reason, string Object, string Message, FailClosedOutcome FailClosed)
{
    /// <summary>
    /// The backend transaction that failed, named as <see cref="Mnp.Native.Backends.BackendTransaction.Scope"/> names it
    /// (<c>IPv6 filter</c>, <c>inet mnp</c>); null when the sync failed before any transaction (namespace not found or
    /// not entered, library missing, xtables lock held).
    /// </summary>
    public string? Scope { get; init; }

    /// <summary>The message plus what was done about it, as one line.</summary>
    public override string ToString() => FailClosed switch
    {
        FailClosedOutcome.DeniedAll => $"{Message}; its governed interfaces now deny all traffic until its rules can be committed",
        FailClosedOutcome.DenyAllFailed => $"{Message}; denying all traffic on its governed interfaces failed too",
        _ => Message,
    };
}
