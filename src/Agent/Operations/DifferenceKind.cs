namespace Mnp.Agent.Operations;

/// <summary>How what a namespace holds differs from what the engine computes.</summary>
public enum DifferenceKind
{
    /// <summary>A rule the engine computes is not there.</summary>
    Missing,

    /// <summary>A rule of ours is there that the engine does not compute.</summary>
    Unexpected,

    /// <summary>A rule is there in place of the one the engine computes.</summary>
    Changed,

    /// <summary>A chain, table or set the engine computes is not there.</summary>
    MissingContainer,

    /// <summary>A chain, table or set of ours is there that the engine does not compute.</summary>
    UnexpectedContainer,

    /// <summary>Something of ours the model cannot express (a jump after a foreign rule, an undecodable rule).</summary>
    Anomaly,
}
