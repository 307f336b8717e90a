using System.Runtime.InteropServices;

namespace Mnp.Native.Netlink;

/// <summary><c>struct ifaddrmsg</c> (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InterfaceAddressMessage
{
    public byte Family;
    public byte PrefixLength;
    public byte Flags;
    public byte Scope;
    public int Index;
}
