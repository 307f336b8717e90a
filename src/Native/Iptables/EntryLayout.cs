namespace Mnp.Native.Iptables;

/// <summary>
/// Byte offsets of <c>struct ipt_entry</c> (IPv4) and <c>struct ip6t_entry</c> (IPv6) on x86_64/arm64 Linux.
/// Checked against the C headers by a unit test that compiles <c>_Static_assert(offsetof(...))</c> with gcc.
/// </summary>
internal sealed record EntryLayout(
    IpFamily Family,
    int Size,
    int AddressLength,
    int Source,
    int Destination,
    int SourceMask,
    int DestinationMask,
    int InInterface,
    int OutInterface,
    int InInterfaceMask,
    int OutInterfaceMask,
    int Protocol,
    int Flags,
    int InvFlags,
    int TargetOffset,
    int NextOffset,
    int Comefrom,
    string IcmpMatchName)
{
    public const int InterfaceFieldLength = 16;

    /// <summary><c>IP6T_F_PROTO</c>: ip6t_entry needs it set whenever a protocol is matched.</summary>
    public const byte Ip6FlagProto = 0x01;

    public static EntryLayout V4 { get; } = new(
        IpFamily.V4, Size: 112, AddressLength: 4, Source: 0, Destination: 4, SourceMask: 8, DestinationMask: 12,
        InInterface: 16, OutInterface: 32, InInterfaceMask: 48, OutInterfaceMask: 64,
        Protocol: 80, Flags: 82, InvFlags: 83, TargetOffset: 88, NextOffset: 90, Comefrom: 92, IcmpMatchName: "icmp");

    public static EntryLayout V6 { get; } = new(
        IpFamily.V6, Size: 168, AddressLength: 16, Source: 0, Destination: 16, SourceMask: 32, DestinationMask: 48,
        InInterface: 64, OutInterface: 80, InInterfaceMask: 96, OutInterfaceMask: 112,
        Protocol: 128, Flags: 131, InvFlags: 132, TargetOffset: 140, NextOffset: 142, Comefrom: 144, IcmpMatchName: "icmp6");

    public static EntryLayout For(IpFamily family) => family == IpFamily.V4 ? V4 : V6;
}
