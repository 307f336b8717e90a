using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Evaluation;

/// <summary>
/// One packet as <see cref="TableClassifier"/> sees it: arriving on <see cref="InInterface"/> (walks INPUT) or
/// leaving by <see cref="OutInterface"/> (walks OUTPUT); ports for TCP/UDP/SCTP, type/code for ICMP(v6).
/// </summary>
public sealed record NetfilterPacket(
    IpFamily Family,
    string? InInterface,
    string? OutInterface,
    IPAddress Source,
    IPAddress Destination,
    NetfilterProtocol Protocol,
    int? DestinationPort = null,
    byte? IcmpType = null,
    byte? IcmpCode = null,
    ConntrackStates State = ConntrackStates.New);
