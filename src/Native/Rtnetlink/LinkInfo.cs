namespace Mnp.Native.Rtnetlink;

/// <summary>A link from an <c>RTM_GETLINK</c> dump. <see cref="Kind"/> is null for links without <c>IFLA_LINKINFO</c> (lo).
/// <see cref="ParentIndex"/> is <c>IFLA_LINK</c> (a veth's peer, a macvlan's parent), possibly in another namespace.</summary>
public sealed record LinkInfo(
    int Index,
    string Name,
    string? Kind,
    LinkOperState OperState,
    uint Flags,
    string? Mac,
    int Mtu,
    int? ParentIndex)
{
    public bool IsUp => (Flags & 1) != 0;
}
