namespace Mnp.Native.Iptables;

/// <summary>
/// One entry read back from a table. <see cref="Rule"/> is the model rule when everything in the entry is
/// something the model can say (else null: inversions, unknown matches, extension targets...);
/// <see cref="Text"/> is an iptables-save-like summary of what could be decoded, unknown matches by name.
/// </summary>
public sealed record DecodedEntry(NetfilterRule? Rule, string TargetName, string Text, ImmutableArray<string> UnknownMatches);
