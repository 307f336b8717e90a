namespace Mnp.Agent.Reconcile;

/// <summary>What the reconciler did about a pod whose rules could not be committed.</summary>
public enum FailClosedOutcome
{
    /// <summary>Nothing more: the pod kept what it had (the backend's commit is atomic), or nothing could be written.</summary>
    KeptPrevious,

    /// <summary>A deny-all on the pod's governed interfaces was committed in place of its rules.</summary>
    DeniedAll,

    /// <summary>The deny-all was tried and failed as well; the pod kept what it had.</summary>
    DenyAllFailed,
}
