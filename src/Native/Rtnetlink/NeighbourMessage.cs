using System.Runtime.InteropServices;

namespace Mnp.Native.Rtnetlink;

/// <summary><c>struct ndmsg</c> (12 bytes), the fixed part of RTM_NEWNEIGH/RTM_GETNEIGH.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NeighbourMessage
{
    public byte Family;
    public byte Pad1;
    public ushort Pad2;
    public int Index;
    public ushort State;
    public byte Flags;
    public byte Type;
}
