using System.Runtime.InteropServices;

namespace Mnp.Native.Netlink;

/// <summary><c>struct ifinfomsg</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InterfaceInfoMessage
{
    public byte Family;
    public byte Pad;
    public ushort Type;
    public int Index;
    public uint Flags;
    public uint Change;
}
