namespace Mnp.Policy.Netfilter;

/// <summary>The <c>icmp</c> (IPv4) or <c>icmp6</c> (IPv6) match: one type, codes <see cref="CodeMin"/>..<see cref="CodeMax"/>.</summary>
public sealed record IcmpTypeMatch(byte Type, byte CodeMin = 0, byte CodeMax = 255);
