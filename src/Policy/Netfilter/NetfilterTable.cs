namespace Mnp.Policy.Netfilter;

/// <summary>
/// The desired state of what we own in one table of one family: our jump rules in built-in chains and
/// our <c>MNP-</c> chains. Chains appear in a deterministic order; an empty table means "own nothing here".
/// </summary>
public sealed record NetfilterTable(IpFamily Family, string Name, ImmutableArray<NetfilterChain> Chains)
{
    public static NetfilterTable Empty(IpFamily family) => new(family, "filter", []);

    public bool Equals(NetfilterTable? other) =>
        other is not null && Family == other.Family && Name == other.Name && Chains.AsSpan().SequenceEqual(other.Chains.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Family, Name, Chains.Length);
}
