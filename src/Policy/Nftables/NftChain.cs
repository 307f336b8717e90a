namespace Mnp.Policy.Nftables;

/// <summary>
/// A chain of our table. A base chain has a <see cref="Hook"/> (type filter, priority filter, policy accept: the
/// enforcement point is an explicit drop rule, never the policy); a regular chain has none.
/// </summary>
public sealed record NftChain(string Name, NftHook? Hook, ImmutableArray<NftRule> Rules)
{
    public bool Equals(NftChain? other) =>
        other is not null && Name == other.Name && Hook == other.Hook && Rules.SequenceEqual(other.Rules);

    public override int GetHashCode() => HashCode.Combine(Name, Hook, Rules.Length);
}
