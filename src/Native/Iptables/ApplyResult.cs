using Mnp.Native.Backends;

namespace Mnp.Native.Iptables;

/// <summary>The result of one namespace's sync: one transaction per family.</summary>
public sealed record ApplyResult(FamilyApplyResult V4, FamilyApplyResult V6)
{
    public bool Changed => V4.Outcome == ApplyOutcome.Committed || V6.Outcome == ApplyOutcome.Committed;
}
