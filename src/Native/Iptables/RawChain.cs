namespace Mnp.Native.Iptables;

/// <summary>A chain as the kernel holds it: entries copied out of the libiptc handle with their target names.</summary>
internal sealed record RawChain(string Name, bool IsBuiltin, ImmutableArray<(byte[] Entry, string Target)> Rules)
{
    public bool IsOwned => !IsBuiltin && ChainNames.IsOwned(Name);

    /// <summary>Every chain; with <paramref name="foreignRules"/> false the rules of foreign user chains are not copied (a sync never needs them).</summary>
    public static ImmutableArray<RawChain> ReadAll(IptcSession session, bool foreignRules = true) =>
        [.. session.ChainNames().Select(name =>
        {
            var builtin = session.IsBuiltin(name);
            var skip = !foreignRules && !builtin && !ChainNames.IsOwned(name);
            return new RawChain(name, builtin, skip ? [] : session.Rules(name));
        })];
}
