using Mnp.Policy.Nftables;

namespace Mnp.Native.Nftables;

/// <summary>
/// What a read of one namespace found: our table decoded into the model (null when absent), whether it carries our
/// marker, every anomaly that the model cannot express (all of them drift), the generation the read is consistent
/// with, and the other tables in the namespace (never touched).
/// </summary>
public sealed record NftTableDump(NftTable? Table, bool Marked, ImmutableArray<string> Anomalies, uint Generation, ImmutableArray<string> ForeignTables)
{
    public bool Exists => Table is not null;

    /// <summary>True when the kernel holds exactly <paramref name="desired"/> (null: no table of ours).</summary>
    public bool Holds(NftTable? desired) =>
        desired is null ? Table is null : Table is not null && Marked && Anomalies.IsEmpty && Table.Equals(desired);
}
