namespace Mnp.Native.Iptables;

/// <summary>A chain as the kernel holds it: entries copied out of the libiptc handle with their target names.</summary>
internal sealed record RawChain(string Name, bool IsBuiltin, ImmutableArray<(byte[] Entry, string Target)> Rules)
{
    public bool IsOwned => !IsBuiltin && ChainNames.IsOwned(Name);

    /// <summary>Every chain with every rule copied out (for reading a table back; a sync compares in place, see <see cref="KernelScan"/>).</summary>
    public static ImmutableArray<RawChain> ReadAll(IptcSession session) =>
        [.. session.ChainNames().Select(name => new RawChain(name, session.IsBuiltin(name), session.Rules(name)))];
}
