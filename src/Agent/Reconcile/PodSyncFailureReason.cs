namespace Mnp.Agent.Reconcile;

/// <summary>Why a pod's rules were not committed (for reports, metrics and Events).</summary>
public enum PodSyncFailureReason
{
    /// <summary>The pod's network namespace could not be found (no sandbox yet, or the pod is gone).</summary>
    NamespaceNotFound,

    /// <summary>The namespace exists but could not be entered (not a namespace, no permission, vanished meanwhile).</summary>
    NamespaceUnavailable,

    /// <summary>The backend refused the model rendered from the pod's rules before writing anything.</summary>
    ModelRefused,

    /// <summary>A native library the backend needs could not be loaded.</summary>
    LibraryMissing,

    /// <summary>The kernel refused the commit (or another kernel call failed); the transaction left what was there.</summary>
    CommitFailed,
}
