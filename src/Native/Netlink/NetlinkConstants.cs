namespace Mnp.Native.Netlink;

/// <summary>
/// Numbers from linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h, linux/neighbour.h (uapi, stable
/// ABI); each is compared with the headers by the unit tests (NetlinkLayoutTests), a new one included.
/// </summary>
internal static class NetlinkConstants
{
    public const int AfNetlink = 16;
    public const int NetlinkRoute = 0;

    public const int HeaderSize = 16;
    public const int IfInfoMsgSize = 16;
    public const int IfAddrMsgSize = 8;
    public const int NdMsgSize = 12;
    public const int AttributeHeaderSize = 4;

    // Message types.
    public const ushort NlmsgError = 2;
    public const ushort NlmsgDone = 3;
    public const ushort RtmNewLink = 16;
    public const ushort RtmDelLink = 17;
    public const ushort RtmGetLink = 18;
    public const ushort RtmNewAddr = 20;
    public const ushort RtmGetAddr = 22;
    public const ushort RtmNewNeigh = 28;
    public const ushort RtmGetNeigh = 30;

    public const ushort NlaFNested = 0x8000;
    public const ushort NlaTypeMask = 0x3fff;

    // IFLA_* (link attributes).
    public const ushort IflaAddress = 1;
    public const ushort IflaIfname = 3;
    public const ushort IflaMtu = 4;
    public const ushort IflaLink = 5;
    public const ushort IflaOperstate = 16;
    public const ushort IflaLinkinfo = 18;
    public const ushort IflaNetNsFd = 28;
    public const ushort IflaInfoKind = 1;
    public const ushort IflaInfoData = 2;
    public const ushort IflaMacvlanMode = 1;
    public const uint MacvlanModeBridge = 4;
    public const ushort VethInfoPeer = 1;

    // IFA_* (address attributes).
    public const ushort IfaAddress = 1;
    public const ushort IfaLocal = 2;
    public const ushort IfaLabel = 3;
    public const ushort IfaFlags = 8;
    public const uint IfaFNodad = 0x02;

    // NDA_* (neighbour attributes).
    public const ushort NdaDst = 1;
    public const ushort NdaLladdr = 2;

    public const uint IffUp = 0x1;
}
