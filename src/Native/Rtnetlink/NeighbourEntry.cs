namespace Mnp.Native.Rtnetlink;

/// <summary>One neighbour table entry: link index, the peer's address, its MAC (null while unresolved) and the NUD state bits.</summary>
public sealed record NeighbourEntry(int Index, IPAddress Address, string? Mac, ushort State)
{
    /// <summary>NUD_PERMANENT: a static entry, never probed, expired or collected.</summary>
    public const ushort Permanent = 0x80;

    public bool IsPermanent => (State & Permanent) != 0;
}
