using Mnp.Native.Backends;

namespace Mnp.Native.Iptables;

/// <summary>
/// A table read back from the kernel. <see cref="Owned"/> is what we own in model form (our jumps at the
/// head of built-in chains, our MNP- chains); <see cref="Chains"/> summarises everything, foreign included;
/// <see cref="Anomalies"/> lists owned things the model cannot express (a jump of ours after a foreign
/// rule, an undecodable rule in an MNP- chain), which always count as drift; <see cref="OwnedRules"/> is our
/// part again in the backend-neutral read-back form.
/// </summary>
public sealed record TableDump(NetfilterTable Owned, ImmutableArray<ChainSummary> Chains, ImmutableArray<string> Anomalies, ImmutableArray<OwnedRule> OwnedRules = default)
{
    /// <summary>Our rules in read-back form (empty when the dump was built without them).</summary>
    public ImmutableArray<OwnedRule> OwnedRules { get; init; } = OwnedRules.IsDefault ? [] : OwnedRules;

    /// <summary>True when the kernel holds exactly <paramref name="desired"/> for everything we own.</summary>
    public bool Matches(NetfilterTable desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return Anomalies.IsEmpty && OwnedSet.Equal(OwnedSet.Of(Owned), OwnedSet.Of(desired));
    }

    /// <summary>Where a chain of this table is, as read-back locations name it: <c>IPv4 filter/MNP-IN-net1</c>.</summary>
    public string Location(string chain) => Location(Owned.Family, Owned.Name, chain);

    internal static string Location(IpFamily family, string table, string chain) => $"{FamilyName(family)} {table}/{chain}";

    internal static string FamilyName(IpFamily family) => family == IpFamily.V4 ? "IPv4" : "IPv6";
}
