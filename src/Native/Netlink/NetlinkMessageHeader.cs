using System.Runtime.InteropServices;

namespace Mnp.Native.Netlink;

/// <summary><c>struct nlmsghdr</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NetlinkMessageHeader
{
    public uint Length;
    public ushort Type;
    public ushort Flags;
    public uint Sequence;
    public uint PortId;
}
