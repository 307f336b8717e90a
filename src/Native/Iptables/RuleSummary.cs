namespace Mnp.Native.Iptables;

/// <summary>One rule as read back: position, target, iptables-save-like text, and whether it is ours.</summary>
public sealed record RuleSummary(int Index, string TargetName, string Text, ImmutableArray<string> UnknownMatches, bool IsOwned);
