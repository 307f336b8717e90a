namespace Mnp.Policy.Nftables;

/// <summary>The match shapes our nftables layout uses; each has one exact encoding and one exact <c>nft</c> text.</summary>
public enum NftMatchKind
{
    /// <summary><c>iifname "IF"</c> (exact name, never a wildcard).</summary>
    InInterface,

    /// <summary><c>oifname "IF"</c>.</summary>
    OutInterface,

    /// <summary><c>ct state established,related</c>.</summary>
    CtEstablishedRelated,

    /// <summary><c>ip saddr A</c> / <c>ip6 saddr A</c>: one address, no set.</summary>
    SourceIs,

    /// <summary><c>ip daddr A</c> / <c>ip6 daddr A</c>.</summary>
    DestinationIs,

    /// <summary><c>ip saddr @SET</c> / <c>ip6 saddr @SET</c>.</summary>
    SourceInSet,

    /// <summary><c>ip daddr @SET</c> / <c>ip6 daddr @SET</c>.</summary>
    DestinationInSet,

    /// <summary><c>ip protocol P</c> (IPv4 only).</summary>
    IpProtocol,

    /// <summary><c>meta l4proto P</c> (either family).</summary>
    L4Proto,

    /// <summary><c>tcp dport N</c>.</summary>
    DestinationPort,

    /// <summary><c>tcp dport A-B</c>.</summary>
    DestinationPortRange,

    /// <summary><c>tcp dport @SET</c>.</summary>
    DestinationPortInSet,

    /// <summary><c>icmpv6 type A-B</c>, with <see cref="NftMatch.Codes"/> followed by <c>icmpv6 code C-D</c>.</summary>
    Icmpv6TypeRange,

    /// <summary><c>icmp type A-B</c> (IPv4), with <see cref="NftMatch.Codes"/> followed by <c>icmp code C-D</c>.</summary>
    IcmpTypeRange,

    /// <summary><c>ip daddr . meta l4proto . th dport @SET</c> / <c>ip6 ...</c>: address, protocol and port looked up together.</summary>
    DestinationTupleInSet,

    /// <summary><c>ip saddr . meta l4proto . th dport @SET</c> / <c>ip6 ...</c>: the peer's address, protocol and our port together (ingress).</summary>
    SourceTupleInSet,
}
