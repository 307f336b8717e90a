namespace Mnp.Native.Iptables;

/// <summary>A chain as read back, ours or foreign, with every rule summarised (for display and drift reports).</summary>
public sealed record ChainSummary(string Name, bool IsBuiltin, bool IsOwned, ImmutableArray<RuleSummary> Rules);
