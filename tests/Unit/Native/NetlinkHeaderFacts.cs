using Mnp.Native.Netlink;
using Mnp.Native.Nftables;
using Mnp.Native.Rtnetlink;

namespace Mnp.Tests.Unit.Native;

/// <summary>
/// What each netlink struct and constant of src/Native is in the C headers: the struct and its fields by name, and a C
/// expression per constant. <see cref="NetlinkLayoutTests"/> compiles these into a C program and compares its output
/// with the C# values; its coverage tests fail when a struct or constant is added without an entry here.
/// </summary>
internal static class NetlinkHeaderFacts
{
    public static readonly string[] Headers =
    [
        "errno.h", "sys/socket.h", "linux/if.h", "linux/netlink.h", "linux/rtnetlink.h", "linux/if_link.h", "linux/if_addr.h",
        "linux/neighbour.h", "linux/veth.h", "linux/netfilter.h", "linux/netfilter/nfnetlink.h", "linux/netfilter/nf_tables.h",
    ];

    /// <summary>C# struct -> (C struct, C# field -> C field).</summary>
    public static readonly Dictionary<Type, (string CStruct, (string Field, string CField)[] Fields)> Structs = new()
    {
        [typeof(NetlinkMessageHeader)] = ("struct nlmsghdr",
            [("Length", "nlmsg_len"), ("Type", "nlmsg_type"), ("Flags", "nlmsg_flags"), ("Sequence", "nlmsg_seq"), ("PortId", "nlmsg_pid")]),
        [typeof(InterfaceInfoMessage)] = ("struct ifinfomsg",
            [("Family", "ifi_family"), ("Pad", "__ifi_pad"), ("Type", "ifi_type"), ("Index", "ifi_index"), ("Flags", "ifi_flags"), ("Change", "ifi_change")]),
        [typeof(InterfaceAddressMessage)] = ("struct ifaddrmsg",
            [("Family", "ifa_family"), ("PrefixLength", "ifa_prefixlen"), ("Flags", "ifa_flags"), ("Scope", "ifa_scope"), ("Index", "ifa_index")]),
        [typeof(NeighbourMessage)] = ("struct ndmsg",
            [("Family", "ndm_family"), ("Pad1", "ndm_pad1"), ("Pad2", "ndm_pad2"), ("Index", "ndm_ifindex"), ("State", "ndm_state"), ("Flags", "ndm_flags"), ("Type", "ndm_type")]),
    };

    /// <summary>The classes whose every constant must have a C expression (or an entry in <see cref="NotInHeaders"/>).</summary>
    public static readonly Type[] ConstantHolders = [typeof(NetlinkConstants), typeof(NftNetlink), typeof(NetlinkMessageFlags)];

    /// <summary>Constants that are our choices, not the kernel's.</summary>
    public static readonly Dictionary<string, string> NotInHeaders = new()
    {
        ["NftNetlink.MaxElementNestBytes"] = "our split size for element nests",
        ["NetlinkMessageFlags.None"] = "no flag",
    };

    private const string Nft = "(NFNL_SUBSYS_NFTABLES << 8)";

    /// <summary>"Holder.Name" -> C expression.</summary>
    public static readonly Dictionary<string, string> Constants = new()
    {
        ["NetlinkConstants.AfNetlink"] = "AF_NETLINK",
        ["NetlinkConstants.NetlinkRoute"] = "NETLINK_ROUTE",
        ["NetlinkConstants.HeaderSize"] = "sizeof(struct nlmsghdr)",
        ["NetlinkConstants.IfInfoMsgSize"] = "sizeof(struct ifinfomsg)",
        ["NetlinkConstants.IfAddrMsgSize"] = "sizeof(struct ifaddrmsg)",
        ["NetlinkConstants.NdMsgSize"] = "sizeof(struct ndmsg)",
        ["NetlinkConstants.AttributeHeaderSize"] = "NLA_HDRLEN",
        ["NetlinkConstants.NlmsgError"] = "NLMSG_ERROR",
        ["NetlinkConstants.NlmsgDone"] = "NLMSG_DONE",
        ["NetlinkConstants.RtmNewLink"] = "RTM_NEWLINK",
        ["NetlinkConstants.RtmDelLink"] = "RTM_DELLINK",
        ["NetlinkConstants.RtmGetLink"] = "RTM_GETLINK",
        ["NetlinkConstants.RtmNewAddr"] = "RTM_NEWADDR",
        ["NetlinkConstants.RtmGetAddr"] = "RTM_GETADDR",
        ["NetlinkConstants.RtmNewNeigh"] = "RTM_NEWNEIGH",
        ["NetlinkConstants.RtmGetNeigh"] = "RTM_GETNEIGH",
        ["NetlinkConstants.NlaFNested"] = "NLA_F_NESTED",
        ["NetlinkConstants.NlaTypeMask"] = "NLA_TYPE_MASK",
        ["NetlinkConstants.IflaAddress"] = "IFLA_ADDRESS",
        ["NetlinkConstants.IflaIfname"] = "IFLA_IFNAME",
        ["NetlinkConstants.IflaMtu"] = "IFLA_MTU",
        ["NetlinkConstants.IflaLink"] = "IFLA_LINK",
        ["NetlinkConstants.IflaOperstate"] = "IFLA_OPERSTATE",
        ["NetlinkConstants.IflaLinkinfo"] = "IFLA_LINKINFO",
        ["NetlinkConstants.IflaNetNsFd"] = "IFLA_NET_NS_FD",
        ["NetlinkConstants.IflaInfoKind"] = "IFLA_INFO_KIND",
        ["NetlinkConstants.IflaInfoData"] = "IFLA_INFO_DATA",
        ["NetlinkConstants.IflaMacvlanMode"] = "IFLA_MACVLAN_MODE",
        ["NetlinkConstants.MacvlanModeBridge"] = "MACVLAN_MODE_BRIDGE",
        ["NetlinkConstants.VethInfoPeer"] = "VETH_INFO_PEER",
        ["NetlinkConstants.IfaAddress"] = "IFA_ADDRESS",
        ["NetlinkConstants.IfaLocal"] = "IFA_LOCAL",
        ["NetlinkConstants.IfaLabel"] = "IFA_LABEL",
        ["NetlinkConstants.IfaFlags"] = "IFA_FLAGS",
        ["NetlinkConstants.IfaFNodad"] = "IFA_F_NODAD",
        ["NetlinkConstants.NdaDst"] = "NDA_DST",
        ["NetlinkConstants.NdaLladdr"] = "NDA_LLADDR",
        ["NetlinkConstants.IffUp"] = "IFF_UP",

        ["NetlinkMessageFlags.Request"] = "NLM_F_REQUEST",
        ["NetlinkMessageFlags.Multi"] = "NLM_F_MULTI",
        ["NetlinkMessageFlags.Ack"] = "NLM_F_ACK",
        ["NetlinkMessageFlags.Echo"] = "NLM_F_ECHO",
        ["NetlinkMessageFlags.DumpInterrupted"] = "NLM_F_DUMP_INTR",
        ["NetlinkMessageFlags.Root"] = "NLM_F_ROOT",
        ["NetlinkMessageFlags.Match"] = "NLM_F_MATCH",
        ["NetlinkMessageFlags.Dump"] = "NLM_F_DUMP",
        ["NetlinkMessageFlags.Replace"] = "NLM_F_REPLACE",
        ["NetlinkMessageFlags.Excl"] = "NLM_F_EXCL",
        ["NetlinkMessageFlags.Create"] = "NLM_F_CREATE",
        ["NetlinkMessageFlags.Append"] = "NLM_F_APPEND",

        ["NftNetlink.NetlinkNetfilter"] = "NETLINK_NETFILTER",
        ["NftNetlink.SolNetlink"] = "SOL_NETLINK",
        ["NftNetlink.NetlinkCapAck"] = "NETLINK_CAP_ACK",
        ["NftNetlink.NetlinkExtAck"] = "NETLINK_EXT_ACK",
        ["NftNetlink.SolSocket"] = "SOL_SOCKET",
        ["NftNetlink.SoSndBufForce"] = "SO_SNDBUFFORCE",
        ["NftNetlink.SoRcvBufForce"] = "SO_RCVBUFFORCE",
        ["NftNetlink.FamilyUnspec"] = "NFPROTO_UNSPEC",
        ["NftNetlink.FamilyInet"] = "NFPROTO_INET",
        ["NftNetlink.Subsystem"] = Nft,
        ["NftNetlink.BatchBegin"] = "NFNL_MSG_BATCH_BEGIN",
        ["NftNetlink.BatchEnd"] = "NFNL_MSG_BATCH_END",
        ["NftNetlink.NewTable"] = $"{Nft} | NFT_MSG_NEWTABLE",
        ["NftNetlink.GetTable"] = $"{Nft} | NFT_MSG_GETTABLE",
        ["NftNetlink.DelTable"] = $"{Nft} | NFT_MSG_DELTABLE",
        ["NftNetlink.NewChain"] = $"{Nft} | NFT_MSG_NEWCHAIN",
        ["NftNetlink.GetChain"] = $"{Nft} | NFT_MSG_GETCHAIN",
        ["NftNetlink.NewRule"] = $"{Nft} | NFT_MSG_NEWRULE",
        ["NftNetlink.GetRule"] = $"{Nft} | NFT_MSG_GETRULE",
        ["NftNetlink.NewSet"] = $"{Nft} | NFT_MSG_NEWSET",
        ["NftNetlink.GetSet"] = $"{Nft} | NFT_MSG_GETSET",
        ["NftNetlink.NewSetElem"] = $"{Nft} | NFT_MSG_NEWSETELEM",
        ["NftNetlink.GetSetElem"] = $"{Nft} | NFT_MSG_GETSETELEM",
        ["NftNetlink.NewGen"] = $"{Nft} | NFT_MSG_NEWGEN",
        ["NftNetlink.GetGen"] = $"{Nft} | NFT_MSG_GETGEN",
        ["NftNetlink.FlagRequest"] = "NLM_F_REQUEST",
        ["NftNetlink.FlagMulti"] = "NLM_F_MULTI",
        ["NftNetlink.FlagAck"] = "NLM_F_ACK",
        ["NftNetlink.FlagDumpInterrupted"] = "NLM_F_DUMP_INTR",
        ["NftNetlink.FlagDump"] = "NLM_F_DUMP",
        ["NftNetlink.FlagCreate"] = "NLM_F_CREATE",
        ["NftNetlink.FlagAppend"] = "NLM_F_APPEND",
        ["NftNetlink.MessageError"] = "NLMSG_ERROR",
        ["NftNetlink.MessageDone"] = "NLMSG_DONE",
        ["NftNetlink.ErrnoRestart"] = "ERESTART",
        ["NftNetlink.Nested"] = "NLA_F_NESTED",
        ["NftNetlink.TypeMask"] = "NLA_TYPE_MASK",
        ["NftNetlink.BatchGenId"] = "NFNL_BATCH_GENID",
        ["NftNetlink.GenId"] = "NFTA_GEN_ID",
        ["NftNetlink.TableName"] = "NFTA_TABLE_NAME",
        ["NftNetlink.TableFlags"] = "NFTA_TABLE_FLAGS",
        ["NftNetlink.TableUserData"] = "NFTA_TABLE_USERDATA",
        ["NftNetlink.ChainTable"] = "NFTA_CHAIN_TABLE",
        ["NftNetlink.ChainName"] = "NFTA_CHAIN_NAME",
        ["NftNetlink.ChainHook"] = "NFTA_CHAIN_HOOK",
        ["NftNetlink.ChainPolicy"] = "NFTA_CHAIN_POLICY",
        ["NftNetlink.ChainType"] = "NFTA_CHAIN_TYPE",
        ["NftNetlink.HookNumber"] = "NFTA_HOOK_HOOKNUM",
        ["NftNetlink.HookPriority"] = "NFTA_HOOK_PRIORITY",
        ["NftNetlink.RuleTable"] = "NFTA_RULE_TABLE",
        ["NftNetlink.RuleChain"] = "NFTA_RULE_CHAIN",
        ["NftNetlink.RuleExpressions"] = "NFTA_RULE_EXPRESSIONS",
        ["NftNetlink.RuleUserData"] = "NFTA_RULE_USERDATA",
        ["NftNetlink.ListElement"] = "NFTA_LIST_ELEM",
        ["NftNetlink.ExprName"] = "NFTA_EXPR_NAME",
        ["NftNetlink.ExprData"] = "NFTA_EXPR_DATA",
        ["NftNetlink.SetTable"] = "NFTA_SET_TABLE",
        ["NftNetlink.SetName"] = "NFTA_SET_NAME",
        ["NftNetlink.SetFlags"] = "NFTA_SET_FLAGS",
        ["NftNetlink.SetKeyType"] = "NFTA_SET_KEY_TYPE",
        ["NftNetlink.SetKeyLength"] = "NFTA_SET_KEY_LEN",
        ["NftNetlink.SetId"] = "NFTA_SET_ID",
        ["NftNetlink.SetFlagAnonymous"] = "NFT_SET_ANONYMOUS",
        ["NftNetlink.SetFlagInterval"] = "NFT_SET_INTERVAL",
        ["NftNetlink.ElemListTable"] = "NFTA_SET_ELEM_LIST_TABLE",
        ["NftNetlink.ElemListSet"] = "NFTA_SET_ELEM_LIST_SET",
        ["NftNetlink.ElemListElements"] = "NFTA_SET_ELEM_LIST_ELEMENTS",
        ["NftNetlink.ElemKey"] = "NFTA_SET_ELEM_KEY",
        ["NftNetlink.ElemFlags"] = "NFTA_SET_ELEM_FLAGS",
        ["NftNetlink.ElemIntervalEnd"] = "NFT_SET_ELEM_INTERVAL_END",
        ["NftNetlink.DataValue"] = "NFTA_DATA_VALUE",
        ["NftNetlink.DataVerdict"] = "NFTA_DATA_VERDICT",
        ["NftNetlink.VerdictCode"] = "NFTA_VERDICT_CODE",
        ["NftNetlink.VerdictChain"] = "NFTA_VERDICT_CHAIN",
        ["NftNetlink.MetaDreg"] = "NFTA_META_DREG",
        ["NftNetlink.MetaKey"] = "NFTA_META_KEY",
        ["NftNetlink.MetaIifName"] = "NFT_META_IIFNAME",
        ["NftNetlink.MetaOifName"] = "NFT_META_OIFNAME",
        ["NftNetlink.MetaNfProto"] = "NFT_META_NFPROTO",
        ["NftNetlink.MetaL4Proto"] = "NFT_META_L4PROTO",
        ["NftNetlink.CmpSreg"] = "NFTA_CMP_SREG",
        ["NftNetlink.CmpOp"] = "NFTA_CMP_OP",
        ["NftNetlink.CmpData"] = "NFTA_CMP_DATA",
        ["NftNetlink.CmpEq"] = "NFT_CMP_EQ",
        ["NftNetlink.CmpNeq"] = "NFT_CMP_NEQ",
        ["NftNetlink.CmpGte"] = "NFT_CMP_GTE",
        ["NftNetlink.CmpLte"] = "NFT_CMP_LTE",
        ["NftNetlink.PayloadDreg"] = "NFTA_PAYLOAD_DREG",
        ["NftNetlink.PayloadBase"] = "NFTA_PAYLOAD_BASE",
        ["NftNetlink.PayloadOffset"] = "NFTA_PAYLOAD_OFFSET",
        ["NftNetlink.PayloadLength"] = "NFTA_PAYLOAD_LEN",
        ["NftNetlink.BaseNetwork"] = "NFT_PAYLOAD_NETWORK_HEADER",
        ["NftNetlink.BaseTransport"] = "NFT_PAYLOAD_TRANSPORT_HEADER",
        ["NftNetlink.LookupSet"] = "NFTA_LOOKUP_SET",
        ["NftNetlink.LookupSreg"] = "NFTA_LOOKUP_SREG",
        ["NftNetlink.LookupSetId"] = "NFTA_LOOKUP_SET_ID",
        ["NftNetlink.LookupFlags"] = "NFTA_LOOKUP_FLAGS",
        ["NftNetlink.CtDreg"] = "NFTA_CT_DREG",
        ["NftNetlink.CtKey"] = "NFTA_CT_KEY",
        ["NftNetlink.CtKeyState"] = "NFT_CT_STATE",
        ["NftNetlink.BitwiseSreg"] = "NFTA_BITWISE_SREG",
        ["NftNetlink.BitwiseDreg"] = "NFTA_BITWISE_DREG",
        ["NftNetlink.BitwiseLength"] = "NFTA_BITWISE_LEN",
        ["NftNetlink.BitwiseMask"] = "NFTA_BITWISE_MASK",
        ["NftNetlink.BitwiseXor"] = "NFTA_BITWISE_XOR",
        ["NftNetlink.ImmediateDreg"] = "NFTA_IMMEDIATE_DREG",
        ["NftNetlink.ImmediateData"] = "NFTA_IMMEDIATE_DATA",
        ["NftNetlink.Register1"] = "NFT_REG_1",
        ["NftNetlink.VerdictAccept"] = "NF_ACCEPT",
        ["NftNetlink.VerdictDrop"] = "NF_DROP",
        ["NftNetlink.VerdictJump"] = "NFT_JUMP",
        ["NftNetlink.NfProtoIpv4"] = "NFPROTO_IPV4",
        ["NftNetlink.NfProtoIpv6"] = "NFPROTO_IPV6",

        // Outside the holders, named one by one.
        ["NeighbourEntry.Permanent"] = "NUD_PERMANENT",
        ["NftExpressionEncoder.InterfaceNameBytes"] = "IFNAMSIZ",
    };

    /// <summary>Constants outside <see cref="ConstantHolders"/>, by their holder.</summary>
    public static readonly Type[] SingleConstantHolders = [typeof(NeighbourEntry), typeof(NftExpressionEncoder)];
}
