namespace Mnp.Policy.Netfilter;

/// <summary>IP protocol numbers the rule model uses (the <c>-p</c> match).</summary>
public enum NetfilterProtocol
{
    Icmp = 1,
    Tcp = 6,
    Udp = 17,
    IcmpV6 = 58,
    Sctp = 132,
}
