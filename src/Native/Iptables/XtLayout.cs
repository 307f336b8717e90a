namespace Mnp.Native.Iptables;

/// <summary>
/// Sizes and offsets of the xtables match and target structs we encode (revisions as iptables 1.8.9 writes
/// them on a current kernel, so our entries are byte-equal to the CLI's). Checked against the C headers by a
/// unit test compiled with gcc.
/// </summary>
internal static class XtLayout
{
    /// <summary><c>struct xt_entry_match</c>/<c>xt_entry_target</c> header: u16 size, char name[29], u8 revision.</summary>
    public const int HeaderSize = 32;
    public const int NameOffset = 2;
    public const int NameLength = 29;
    public const int RevisionOffset = 31;

    /// <summary><c>struct xt_standard_target</c> aligned: header + int verdict + pad. libiptc insists on 40.</summary>
    public const int StandardTargetSize = 40;
    public const int VerdictOffset = 32;

    /// <summary><c>struct xt_tcp</c> (12) and <c>struct xt_udp</c> (10): spts[2] @0, dpts[2] @4.</summary>
    public const int TcpInfoSize = 12;
    public const int UdpInfoSize = 10;
    public const int TcpUdpSourcePorts = 0;
    public const int TcpUdpDestinationPorts = 4;
    public const int TcpOption = 8;
    public const int TcpFlagMask = 9;
    public const int TcpFlagCompare = 10;
    public const int TcpInvFlags = 11;
    public const int UdpInvFlags = 8;

    /// <summary><c>struct xt_multiport_v1</c>: flags @0, count @1, ports[15] @2, pflags[15] @32, invert @47.</summary>
    public const int MultiportInfoSize = 48;
    public const int MultiportFlags = 0;
    public const int MultiportCount = 1;
    public const int MultiportPorts = 2;
    public const int MultiportPortFlags = 32;
    public const int MultiportInvert = 47;
    public const int MultiportMaxSlots = 15;
    public const byte MultiportDestination = 1;

    /// <summary><c>struct xt_conntrack_mtinfo3</c> (164): match_flags @146, invert_flags @148, state_mask @150.</summary>
    public const int ConntrackInfoSize = 164;
    public const int ConntrackMatchFlags = 146;
    public const int ConntrackInvertFlags = 148;
    public const int ConntrackStateMask = 150;
    public const ushort ConntrackFlagState = 1;

    /// <summary><c>struct xt_comment_info</c>: char comment[256].</summary>
    public const int CommentInfoSize = 256;
    public const int CommentMaxBytes = 255;

    /// <summary><c>struct ipt_icmp</c>/<c>ip6t_icmp</c>: type @0, code[2] @1, invflags @3.</summary>
    public const int IcmpInfoSize = 4;
    public const int IcmpType = 0;
    public const int IcmpCode = 1;
    public const int IcmpInvFlags = 3;

    /// <summary>Standard verdicts as libiptc stores them: -NF_ACCEPT-1, -NF_DROP-1, XT_RETURN.</summary>
    public const int VerdictAccept = -2;
    public const int VerdictDrop = -1;
    public const int VerdictReturn = -5;

    /// <summary><c>XT_ALIGN</c>: round up to 8 bytes.</summary>
    public static int Align(int size) => (size + 7) & ~7;

    public static int MatchSize(int infoSize) => HeaderSize + Align(infoSize);
}
