namespace Mnp.Native.Iptables;

/// <summary>
/// Compares what two table models own, ignoring chain order and empty built-in chains, and treating a /0
/// network as "any" (the entry cannot tell them apart).
/// </summary>
internal static class OwnedSet
{
    public static Dictionary<string, ImmutableArray<NetfilterRule>> Of(NetfilterTable table) =>
        table.Chains
            .Where(c => !(c.IsBuiltin && c.Rules.IsEmpty))
            .ToDictionary(c => c.Name, c => c.Rules.Select(Normalize).ToImmutableArray(), StringComparer.Ordinal);

    public static bool Equal(Dictionary<string, ImmutableArray<NetfilterRule>> a, Dictionary<string, ImmutableArray<NetfilterRule>> b) =>
        a.Count == b.Count
        && a.All(kv => b.TryGetValue(kv.Key, out var rules) && kv.Value.AsSpan().SequenceEqual(rules.AsSpan()));

    private static NetfilterRule Normalize(NetfilterRule rule) => rule with
    {
        Source = rule.Source is { PrefixLength: 0 } ? null : rule.Source,
        Destination = rule.Destination is { PrefixLength: 0 } ? null : rule.Destination,
    };
}
