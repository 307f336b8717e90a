namespace Mnp.Agent.Sources;

public enum ClusterChangeKind
{
    /// <summary>An object was created or replaced.</summary>
    Upsert,

    /// <summary>An object is gone.</summary>
    Remove,

    /// <summary>The initial list of one kind is complete: the cache holds every object of that kind.</summary>
    Listed,
}
