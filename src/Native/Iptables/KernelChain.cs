namespace Mnp.Native.Iptables;

/// <summary>
/// What an edit needs to know of one chain the kernel holds: its name, whether it is built in, and for a
/// built-in chain the positions of our jumps in it (whatever their place; foreign rules keep theirs).
/// </summary>
internal sealed record KernelChain(string Name, bool IsBuiltin, ImmutableArray<int> OwnedJumps)
{
    public bool IsOwned => !IsBuiltin && ChainNames.IsOwned(Name);
}
