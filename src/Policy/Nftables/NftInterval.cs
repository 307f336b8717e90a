namespace Mnp.Policy.Nftables;

/// <summary>An inclusive range of set keys (addresses or ports) as unsigned integers in network order.</summary>
public readonly record struct NftInterval(UInt128 First, UInt128 Last);
