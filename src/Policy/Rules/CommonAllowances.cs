namespace Mnp.Policy.Rules;

/// <summary>
/// What an isolated direction of every governed interface accepts besides its policies (from the custom-rules file):
/// ICMP and ICMPv6 messages (a type, every code or one), and remote prefixes (sources for ingress, destinations for
/// egress), any port.
/// </summary>
public sealed record CommonAllowances(ImmutableArray<IcmpMessage> IcmpMessages, ImmutableArray<IcmpMessage> Icmpv6Messages, ImmutableArray<IPNetwork> Prefixes)
{
    public static CommonAllowances None { get; } = new([], [], []);

    public bool IsEmpty => IcmpMessages.IsDefaultOrEmpty && Icmpv6Messages.IsDefaultOrEmpty && Prefixes.IsDefaultOrEmpty;
}
