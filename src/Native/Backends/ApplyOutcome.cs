namespace Mnp.Native.Backends;

/// <summary>What one transaction of a backend did.</summary>
public enum ApplyOutcome
{
    /// <summary>The kernel already held exactly the desired rules: nothing was written.</summary>
    Unchanged,

    /// <summary>One commit replaced our chains and jumps.</summary>
    Committed,
}
