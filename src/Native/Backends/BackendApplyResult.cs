namespace Mnp.Native.Backends;

/// <summary>What one namespace's apply did, transaction by transaction.</summary>
public sealed record BackendApplyResult(FirewallBackendKind Backend, ImmutableArray<BackendTransaction> Transactions)
{
    /// <summary>True when at least one transaction committed.</summary>
    public bool Changed => Transactions.Any(t => t.Outcome == ApplyOutcome.Committed);

    /// <summary>The number of our rules in the namespace afterwards, over every transaction.</summary>
    public int Rules => Transactions.Sum(t => t.Rules);
}
