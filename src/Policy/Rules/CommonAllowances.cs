namespace Mnp.Policy.Rules;

/// <summary>
/// What an isolated direction of every governed interface accepts besides its policies (from the custom-rules file):
/// ICMP and ICMPv6 message types, and remote prefixes (sources for ingress, destinations for egress), any port.
/// </summary>
public sealed record CommonAllowances(ImmutableArray<byte> IcmpTypes, ImmutableArray<byte> Icmpv6Types, ImmutableArray<IPNetwork> Prefixes)
{
    public static CommonAllowances None { get; } = new([], [], []);

    public bool IsEmpty => IcmpTypes.IsDefaultOrEmpty && Icmpv6Types.IsDefaultOrEmpty && Prefixes.IsDefaultOrEmpty;
}
