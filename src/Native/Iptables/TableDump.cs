namespace Mnp.Native.Iptables;

/// <summary>
/// A table read back from the kernel. <see cref="Owned"/> is what we own in model form (our jumps at the
/// head of built-in chains, our MNP- chains); <see cref="Chains"/> summarises everything, foreign included;
/// <see cref="Anomalies"/> lists owned things the model cannot express (a jump of ours after a foreign
/// rule, an undecodable rule in an MNP- chain), which always count as drift.
/// </summary>
public sealed record TableDump(NetfilterTable Owned, ImmutableArray<ChainSummary> Chains, ImmutableArray<string> Anomalies)
{
    /// <summary>True when the kernel holds exactly <paramref name="desired"/> for everything we own.</summary>
    public bool Matches(NetfilterTable desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return Anomalies.IsEmpty && OwnedSet.Equal(OwnedSet.Of(Owned), OwnedSet.Of(desired));
    }
}
