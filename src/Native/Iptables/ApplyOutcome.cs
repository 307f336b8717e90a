namespace Mnp.Native.Iptables;

public enum ApplyOutcome
{
    /// <summary>The kernel already held exactly the desired rules: nothing was written.</summary>
    Unchanged,

    /// <summary>One commit replaced our chains and jumps.</summary>
    Committed,
}
