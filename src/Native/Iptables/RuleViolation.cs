namespace Mnp.Native.Iptables;

/// <summary>What is wrong with a table model before it reaches libiptc.</summary>
public enum RuleViolation
{
    ChainNameTooLong,
    ChainNotOwned,
    BuiltinNotInTable,
    DuplicateChain,
    ForeignRuleInBuiltinChain,
    UnknownJumpTarget,
    InterfaceName,
    CommentTooLong,
    CommentHasNul,
    TooManyMultiportSlots,
    PortsWithoutProtocol,
    PortOutOfRange,
    IcmpProtocolMismatch,
    ProtocolFamilyMismatch,
    AddressFamilyMismatch,
    NonCanonicalCidr,
    UnknownConntrackState,
    UnsupportedTable,
}
