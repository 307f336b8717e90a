namespace Mnp.Policy.Netfilter;

/// <summary>
/// One rule with typed matches, always encoded and printed in this order: source, destination,
/// in-interface, out-interface, protocol, conntrack state, icmp type, ports, comment, target.
/// Ports: a single range with TCP or UDP uses the <c>tcp</c>/<c>udp</c> match; otherwise the
/// <c>multiport</c> match (at most 15 slots, a range takes two). An empty port list means no port match.
/// </summary>
public sealed record NetfilterRule(RuleTarget Target)
{
    public IPNetwork? Source { get; init; }
    public IPNetwork? Destination { get; init; }
    public string? InInterface { get; init; }
    public string? OutInterface { get; init; }
    public NetfilterProtocol? Protocol { get; init; }
    public ConntrackStates CtState { get; init; }
    public IcmpTypeMatch? Icmp { get; init; }
    public ImmutableArray<(int From, int To)> DestinationPorts { get; init; } = [];
    public string? Comment { get; init; }

    public const int MaxMultiportSlots = 15;

    /// <summary>True when the ports go into a <c>multiport</c> match rather than a <c>tcp</c>/<c>udp</c> one.</summary>
    public bool UsesMultiport =>
        !DestinationPorts.IsDefaultOrEmpty
        && (DestinationPorts.Length > 1 || Protocol is not (NetfilterProtocol.Tcp or NetfilterProtocol.Udp));

    /// <summary>Multiport slots used: one per port, two per range.</summary>
    public int MultiportSlots => DestinationPorts.IsDefaultOrEmpty ? 0 : DestinationPorts.Sum(p => p.From == p.To ? 1 : 2);

    public bool Equals(NetfilterRule? other) =>
        other is not null
        && Target == other.Target
        && Equals(Source, other.Source)
        && Equals(Destination, other.Destination)
        && InInterface == other.InInterface
        && OutInterface == other.OutInterface
        && Protocol == other.Protocol
        && CtState == other.CtState
        && Icmp == other.Icmp
        && DestinationPorts.AsSpan().SequenceEqual(other.DestinationPorts.AsSpan())
        && Comment == other.Comment;

    public override int GetHashCode() => HashCode.Combine(Target, Source, Destination, InInterface, OutInterface, Protocol, Comment);
}
