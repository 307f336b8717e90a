namespace Mnp.Policy.Nftables;

/// <summary>Key types of our sets; the value is nft's datatype id.</summary>
public enum NftSetKeyType
{
    Ipv4Address = 7,
    Ipv6Address = 8,
    InetService = 13,
}
