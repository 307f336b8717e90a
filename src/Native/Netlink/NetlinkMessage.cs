namespace Mnp.Native.Netlink;

/// <summary>One netlink message from a reply: header fields and the payload after the 16-byte header.</summary>
public readonly record struct NetlinkMessage(ushort Type, ushort Flags, uint Sequence, uint PortId, ReadOnlyMemory<byte> Payload);
