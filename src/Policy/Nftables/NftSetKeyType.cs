namespace Mnp.Policy.Nftables;

/// <summary>Key types of our sets; the value is nft's datatype id.</summary>
public enum NftSetKeyType
{
    Ipv4Address = 7,
    Ipv6Address = 8,
    InetService = 13,

    /// <summary><c>ipv4_addr . inet_proto . inet_service</c> (the field ids packed 6 bits each).</summary>
    Ipv4ProtoService = 0x730d,

    /// <summary><c>ipv6_addr . inet_proto . inet_service</c>.</summary>
    Ipv6ProtoService = 0x830d,
}
