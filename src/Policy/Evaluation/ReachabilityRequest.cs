using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Evaluation;

/// <summary>
/// What <see cref="PolicyEvaluator.Reachability"/> covers: one network or all (<see cref="Network"/> null),
/// <see cref="Ports"/> (empty = each destination's declared container ports, 80/TCP if none),
/// <see cref="Protocols"/> (empty = TCP with explicit ports, any declared protocol otherwise) and families.
/// </summary>
public sealed record ReachabilityRequest
{
    private const int DefaultPort = 80;

    public NetworkRef? Network { get; init; }

    public ImmutableArray<int> Ports { get; init; } = [];

    public ImmutableArray<Protocol> Protocols { get; init; } = [];

    public ImmutableArray<IpFamily> Families { get; init; } = [IpFamily.V4];

    /// <summary>
    /// When set (matrix without --family), each pair is shown in the family its two pods share on the network:
    /// IPv4 for two dual-stack pods, IPv6 when either end has only IPv6; <see cref="Families"/> is then ignored.
    /// </summary>
    public bool SharedFamilyOnly { get; init; }

    /// <summary>The families iterated: both under <see cref="SharedFamilyOnly"/>, else <see cref="Families"/>.</summary>
    internal ImmutableArray<IpFamily> IteratedFamilies => SharedFamilyOnly ? [IpFamily.V4, IpFamily.V6] : Families;

    public static ReachabilityRequest Default { get; } = new();

    /// <summary>The (port, protocol) pairs probed towards <paramref name="destination"/>, sorted.</summary>
    public IEnumerable<(int Port, Protocol Protocol)> PortsFor(PodInfo destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        IEnumerable<(int Port, Protocol Protocol)> pairs;
        if (!Ports.IsDefaultOrEmpty)
        {
            var protocols = Protocols.IsDefaultOrEmpty ? [Protocol.Tcp] : Protocols;
            pairs = Ports.SelectMany(p => protocols.Select(proto => (p, proto)));
        }
        else
        {
            var declared = destination.Ports.Select(p => (p.Number, p.Protocol))
                .Where(p => Protocols.IsDefaultOrEmpty || Protocols.Contains(p.Protocol))
                .ToList();
            pairs = declared.Count > 0 ? declared
                : destination.Ports.IsDefaultOrEmpty && !Protocols.IsDefaultOrEmpty ? Protocols.Select(p => (DefaultPort, p))
                : destination.Ports.IsDefaultOrEmpty ? [(DefaultPort, Protocol.Tcp)]
                : [];
        }

        return pairs.Distinct().OrderBy(p => p.Item1).ThenBy(p => p.Item2);
    }
}
