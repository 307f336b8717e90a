namespace Mnp.Native.Backends;

/// <summary>
/// What we own in one namespace, read back in backend-neutral form: our containers (chains or tables, possibly
/// empty), our rules, and <see cref="Anomalies"/>: things of ours the backend's model cannot express (a jump of
/// ours after a foreign rule, an undecodable rule in a chain of ours), which always count as drift.
/// </summary>
public sealed record OwnedRuleDump(
    FirewallBackendKind Backend,
    ImmutableArray<string> Containers,
    ImmutableArray<OwnedRule> Rules,
    ImmutableArray<string> Anomalies,
    ForeignSummary Foreign)
{
    /// <summary>True when nothing of ours is there at all (a pod we never programmed, or one we cleaned up).</summary>
    public bool HoldsNothingOfOurs => Containers.IsEmpty && Rules.IsEmpty && Anomalies.IsEmpty;
}
