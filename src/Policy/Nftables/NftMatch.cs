using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Nftables;

/// <summary>
/// One match of an nftables rule. <see cref="Name"/> is the interface or set name; <see cref="Protocol"/> the IP
/// protocol number; <see cref="From"/>/<see cref="To"/> a port, port range or ICMPv6 type range;
/// <see cref="Family"/> the address family of an address match; <see cref="Address"/> the one address of
/// <see cref="NftMatchKind.SourceIs"/> / <see cref="NftMatchKind.DestinationIs"/>; <see cref="Codes"/> the code range
/// an ICMP or ICMPv6 type range also requires (null: every code).
/// </summary>
public sealed record NftMatch(NftMatchKind Kind, string? Name = null, int Protocol = 0, int From = 0, int To = 0, IpFamily Family = IpFamily.V4, IPAddress? Address = null)
{
    /// <summary>
    /// The codes an <see cref="NftMatchKind.IcmpTypeRange"/> or <see cref="NftMatchKind.Icmpv6TypeRange"/> also requires
    /// (<c>icmp type A-B icmp code C-D</c>: nft writes one protocol dependency for both); null for every code.
    /// </summary>
    public (int From, int To)? Codes { get; init; }

    public static NftMatch SourceIs(IPAddress address) => new(NftMatchKind.SourceIs, Family: FamilyOf(address), Address: address);

    public static NftMatch DestinationIs(IPAddress address) => new(NftMatchKind.DestinationIs, Family: FamilyOf(address), Address: address);

    public static NftMatch CtEstablishedRelated { get; } = new(NftMatchKind.CtEstablishedRelated);

    public static NftMatch InInterface(string name) => new(NftMatchKind.InInterface, name);

    public static NftMatch OutInterface(string name) => new(NftMatchKind.OutInterface, name);

    public static NftMatch SourceInSet(IpFamily family, string set) => new(NftMatchKind.SourceInSet, set, Family: family);

    public static NftMatch DestinationInSet(IpFamily family, string set) => new(NftMatchKind.DestinationInSet, set, Family: family);

    public static NftMatch IpProtocol(int protocol) => new(NftMatchKind.IpProtocol, Protocol: protocol);

    public static NftMatch L4Proto(int protocol) => new(NftMatchKind.L4Proto, Protocol: protocol);

    public static NftMatch DestinationPort(int protocol, int port) => new(NftMatchKind.DestinationPort, Protocol: protocol, From: port, To: port);

    public static NftMatch DestinationPortRange(int protocol, int from, int to) => new(NftMatchKind.DestinationPortRange, Protocol: protocol, From: from, To: to);

    public static NftMatch DestinationPortInSet(int protocol, string set) => new(NftMatchKind.DestinationPortInSet, set, protocol);

    public static NftMatch DestinationTupleInSet(IpFamily family, string set) => new(NftMatchKind.DestinationTupleInSet, set, Family: family);

    public static NftMatch SourceTupleInSet(IpFamily family, string set) => new(NftMatchKind.SourceTupleInSet, set, Family: family);

    public static NftMatch Icmpv6TypeRange(int from, int to) => new(NftMatchKind.Icmpv6TypeRange, From: from, To: to);

    public static NftMatch IcmpTypeRange(int from, int to) => new(NftMatchKind.IcmpTypeRange, From: from, To: to);

    /// <summary><c>icmp type T-T icmp code C-C</c>.</summary>
    public static NftMatch IcmpTypeAndCode(int type, int code) => IcmpTypeRange(type, type) with { Codes = (code, code) };

    /// <summary><c>icmpv6 type T-T icmpv6 code C-C</c>.</summary>
    public static NftMatch Icmpv6TypeAndCode(int type, int code) => Icmpv6TypeRange(type, type) with { Codes = (code, code) };

    private static IpFamily FamilyOf(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IpFamily.V4 : IpFamily.V6;
}
