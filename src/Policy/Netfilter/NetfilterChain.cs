namespace Mnp.Policy.Netfilter;

/// <summary>
/// A chain and its rules. For a built-in chain (INPUT, OUTPUT, ...) <see cref="Rules"/> are only our own
/// jump rules, which the writer places first; every other rule there belongs to someone else.
/// </summary>
public sealed record NetfilterChain(string Name, ImmutableArray<NetfilterRule> Rules)
{
    public bool IsBuiltin => ChainNames.IsBuiltin(Name);

    public bool Equals(NetfilterChain? other) =>
        other is not null && Name == other.Name && Rules.AsSpan().SequenceEqual(other.Rules.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Name, Rules.Length);
}
