namespace Mnp.Native.Backends;

/// <summary>
/// One rule of ours as read back. <paramref name="Location"/> names its container in the backend's terms
/// (<c>IPv4 filter/MNP-IN-net1</c>, or a table and chain of nftables) and <paramref name="Index"/> its position
/// there; <paramref name="Text"/> is the rule in the backend's own syntax; <paramref name="Interface"/> is the
/// interface it matches, if any; <paramref name="Origin"/> is the origin we wrote with it (policy, direction and
/// rule index, as <see cref="Policy.Rules.RuleOrigin"/> prints them), or null for the structural rules
/// (jumps, conntrack, the final drop).
/// </summary>
public sealed record OwnedRule(string Location, int Index, string Text, string? Interface, string? Origin);
