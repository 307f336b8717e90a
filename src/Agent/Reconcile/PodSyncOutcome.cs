namespace Mnp.Agent.Reconcile;

public enum PodSyncOutcome
{
    /// <summary>New rules were committed in at least one family.</summary>
    Committed,

    /// <summary>The kernel already held exactly the desired rules: nothing was written.</summary>
    Unchanged,

    /// <summary>The namespace could not be found or the commit failed: see <see cref="PodSyncResult.Failure"/> for what the pod holds now.</summary>
    Failed,
}
