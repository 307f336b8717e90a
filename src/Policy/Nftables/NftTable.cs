namespace Mnp.Policy.Nftables;

/// <summary>
/// Our <c>inet</c> table in one pod namespace: sets first, then chains (the order <c>nft list table</c> prints
/// and the order we create them). <see cref="Comment"/> is the ownership marker.
/// </summary>
public sealed record NftTable(string Name, string Comment, ImmutableArray<NftSet> Sets, ImmutableArray<NftChain> Chains)
{
    /// <summary>The name of our table in every pod namespace.</summary>
    public const string OwnedName = "mnp";

    /// <summary>The table comment that marks it as ours (checked before we touch a table named <see cref="OwnedName"/>).</summary>
    public const string OwnedMarker = "mnp/v1";

    public int RuleCount => Chains.Sum(c => c.Rules.Length);

    public bool Equals(NftTable? other) =>
        other is not null && Name == other.Name && Comment == other.Comment && Sets.SequenceEqual(other.Sets) && Chains.SequenceEqual(other.Chains);

    public override int GetHashCode() => HashCode.Combine(Name, Sets.Length, Chains.Length);
}
