namespace Mnp.Policy.Rules;

/// <summary>Operator settings that change what is compiled and rendered.</summary>
public sealed record PolicyOptions
{
    public static ImmutableHashSet<string> DefaultPlugins { get; } =
        ImmutableHashSet.Create(StringComparer.Ordinal, "macvlan", "ipvlan", "sriov", "bond", "bridge", "host-device");

    public static PolicyOptions Default { get; } = new();

    /// <summary>NAD CNI types whose networks are managed (<c>--network-plugins</c>).</summary>
    public ImmutableHashSet<string> ManagedPlugins { get; init; } = DefaultPlugins;

    /// <summary><c>--accept-icmp</c>: isolated IPv4 directions accept ICMP.</summary>
    public bool AcceptIcmp { get; init; }

    /// <summary><c>--accept-icmpv6</c>: isolated IPv6 directions accept ICMPv6.</summary>
    public bool AcceptIcmpV6 { get; init; }

    /// <summary>Accept IPv6 neighbour discovery (ICMPv6 133-137) on governed interfaces; on by default.</summary>
    public bool AcceptNeighborDiscovery { get; init; } = true;

    /// <summary>What isolated directions also accept (<c>--custom-rules FILE</c>); none by default.</summary>
    public CustomRules CustomRules { get; init; } = CustomRules.None;

    /// <summary>Neighbour discovery as rendered: the custom-rules file's choice when it makes one, else <see cref="AcceptNeighborDiscovery"/>.</summary>
    public bool NeighborDiscoveryAccepted => CustomRules.NeighborDiscovery ?? AcceptNeighborDiscovery;

    /// <summary>
    /// The most match entries (peers, excepts and ports crossed, see the compiler's expansion limit) one
    /// interface direction of one pod may hold. A rule that would pass it contributes nothing there (fail
    /// closed: the direction stays isolated) and is reported on <see cref="PodRules.Problems"/>.
    /// </summary>
    public int MaxEntriesPerDirection { get; init; } = DefaultMaxEntriesPerDirection;

    public const int DefaultMaxEntriesPerDirection = 100_000;
}
