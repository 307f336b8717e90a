using Mnp.Native.Netlink;

namespace Mnp.Native.Nftables;

/// <summary>Numbers from linux/netfilter/nf_tables.h and nfnetlink.h (uapi, stable ABI); see docs/native.md §12–§17.</summary>
internal static class NftNetlink
{
    public const int NetlinkNetfilter = 12;
    public const int SolNetlink = 270;
    public const int NetlinkCapAck = 10;
    public const int NetlinkExtAck = 11;
    public const int SolSocket = 1;
    public const int SoSndBufForce = 32;
    public const int SoRcvBufForce = 33;

    public const byte FamilyUnspec = 0;
    public const byte FamilyInet = 1;

    public const ushort Subsystem = 10 << 8;
    public const ushort BatchBegin = 16;
    public const ushort BatchEnd = 17;
    public const ushort NewTable = Subsystem | 0;
    public const ushort GetTable = Subsystem | 1;
    public const ushort DelTable = Subsystem | 2;
    public const ushort NewChain = Subsystem | 3;
    public const ushort GetChain = Subsystem | 4;
    public const ushort DelChain = Subsystem | 5;
    public const ushort NewRule = Subsystem | 6;
    public const ushort GetRule = Subsystem | 7;
    public const ushort DelRule = Subsystem | 8;
    public const ushort NewSet = Subsystem | 9;
    public const ushort GetSet = Subsystem | 10;
    public const ushort DelSet = Subsystem | 11;
    public const ushort NewSetElem = Subsystem | 12;
    public const ushort GetSetElem = Subsystem | 13;
    public const ushort DelSetElem = Subsystem | 14;
    public const ushort NewGen = Subsystem | 15;
    public const ushort GetGen = Subsystem | 16;

    public const ushort FlagRequest = (ushort)NetlinkMessageFlags.Request;
    public const ushort FlagMulti = (ushort)NetlinkMessageFlags.Multi;
    public const ushort FlagAck = (ushort)NetlinkMessageFlags.Ack;
    public const ushort FlagDumpInterrupted = (ushort)NetlinkMessageFlags.DumpInterrupted;
    public const ushort FlagDump = (ushort)NetlinkMessageFlags.Dump;
    public const ushort FlagCreate = (ushort)NetlinkMessageFlags.Create;
    public const ushort FlagAppend = (ushort)NetlinkMessageFlags.Append;

    public const ushort MessageError = 2;
    public const ushort MessageDone = 3;
    public const int ErrnoRestart = 85;

    public const ushort Nested = 0x8000;
    public const ushort TypeMask = 0x3fff;

    /// <summary>Element nests are split below this, far under the u16 attribute length that would silently wrap.</summary>
    public const int MaxElementNestBytes = 60_000;

    public const ushort BatchGenId = 1;
    public const ushort GenId = 1;

    public const ushort TableName = 1;
    public const ushort TableFlags = 2;
    public const ushort TableUserData = 6;

    public const ushort ChainTable = 1;
    public const ushort ChainName = 3;
    public const ushort ChainHook = 4;
    public const ushort ChainPolicy = 5;
    public const ushort ChainType = 7;
    public const ushort HookNumber = 1;
    public const ushort HookPriority = 2;

    public const ushort RuleTable = 1;
    public const ushort RuleChain = 2;
    public const ushort RuleExpressions = 4;
    public const ushort RuleUserData = 7;
    public const ushort ListElement = 1;
    public const ushort ExprName = 1;
    public const ushort ExprData = 2;

    public const ushort SetTable = 1;
    public const ushort SetName = 2;
    public const ushort SetFlags = 3;
    public const ushort SetKeyType = 4;
    public const ushort SetKeyLength = 5;
    public const ushort SetId = 10;
    public const uint SetFlagAnonymous = 1;
    public const uint SetFlagInterval = 4;

    public const ushort ElemListTable = 1;
    public const ushort ElemListSet = 2;
    public const ushort ElemListElements = 3;
    public const ushort ElemKey = 1;
    public const ushort ElemFlags = 3;
    public const uint ElemIntervalEnd = 1;
    public const ushort DataValue = 1;
    public const ushort DataVerdict = 2;
    public const ushort VerdictCode = 1;
    public const ushort VerdictChain = 2;

    // Expression attributes (all registers and integers big-endian).
    public const ushort MetaDreg = 1;
    public const ushort MetaKey = 2;
    public const uint MetaIifName = 6;
    public const uint MetaOifName = 7;
    public const uint MetaNfProto = 15;
    public const uint MetaL4Proto = 16;
    public const ushort CmpSreg = 1;
    public const ushort CmpOp = 2;
    public const ushort CmpData = 3;
    public const uint CmpEq = 0;
    public const uint CmpNeq = 1;
    public const uint CmpGte = 5;
    public const uint CmpLte = 3;
    public const ushort PayloadDreg = 1;
    public const ushort PayloadBase = 2;
    public const ushort PayloadOffset = 3;
    public const ushort PayloadLength = 4;
    public const uint BaseNetwork = 1;
    public const uint BaseTransport = 2;
    public const ushort LookupSet = 1;
    public const ushort LookupSreg = 2;
    public const ushort LookupSetId = 4;
    public const ushort LookupFlags = 5;
    public const ushort CtDreg = 1;
    public const ushort CtKey = 2;
    public const uint CtKeyState = 0;
    public const ushort BitwiseSreg = 1;
    public const ushort BitwiseDreg = 2;
    public const ushort BitwiseLength = 3;
    public const ushort BitwiseMask = 4;
    public const ushort BitwiseXor = 5;
    public const ushort ImmediateDreg = 1;
    public const ushort ImmediateData = 2;

    public const uint Register1 = 1;

    // `ip daddr . meta l4proto . th dport`: the fields follow the address in 4-byte registers (reg 1 is 32-bit regs
    // 8–11): after an IPv4 address 9 and 10; after an IPv6 one 12 (which nft names as 16-byte reg 2) and 13.
    public const uint TupleProtocolRegister4 = 9;
    public const uint TuplePortRegister4 = 10;
    public const uint TupleProtocolRegister6 = 2;
    public const uint TuplePortRegister6 = 13;

    public const uint VerdictAccept = 1;
    public const uint VerdictDrop = 0;
    public const uint VerdictJump = unchecked((uint)-3);

    public const byte NfProtoIpv4 = 2;
    public const byte NfProtoIpv6 = 10;
}
