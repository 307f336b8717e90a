namespace Mnp.Native.Netlink;

/// <summary>
/// <c>nlmsg_flags</c> (linux/netlink.h). The modifiers share bits by request kind: a get request reads 0x100 and 0x200
/// as <see cref="Root"/> and <see cref="Match"/> (together <see cref="Dump"/>), a new request as <see cref="Replace"/>
/// and <see cref="Excl"/>; which applies is the message type's, as in the header.
/// </summary>
[Flags]
#pragma warning disable CA1069 // the header defines these values twice, once per request kind
public enum NetlinkMessageFlags : ushort
{
    None = 0,
    Request = 0x1,
    Multi = 0x2,
    Ack = 0x4,
    Echo = 0x8,
    DumpInterrupted = 0x10,

    Root = 0x100,
    Match = 0x200,
    Dump = Root | Match,

    Replace = 0x100,
    Excl = 0x200,
    Create = 0x400,
    Append = 0x800,
}
#pragma warning restore CA1069
