namespace Mnp.Policy.Nftables;

/// <summary>One element of a concatenated <c>address . inet_proto . inet_service</c> set: an address (as a set key), an IP protocol and a port.</summary>
public readonly record struct NftConcatKey(UInt128 Address, byte Protocol, ushort Port);
