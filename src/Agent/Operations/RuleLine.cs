namespace Mnp.Agent.Operations;

/// <summary>
/// One rule of ours in the form inspect prints and compares: where it is (<c>IPv4 filter/MNP-IN-net1</c>,
/// <c>inet mnp/CHAIN</c>, or <c>inet mnp/set NAME</c> for a set element), its position there, its text in the
/// backend's own syntax, and the policy rule it comes from (<c>NS/POLICY ingress[0]</c>), or null for structural
/// rules (jumps, conntrack, the final drop).
/// </summary>
public sealed record RuleLine(string Location, int Index, string Text, string? Origin);
