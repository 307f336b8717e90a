using Mnp.Policy.Cluster;

namespace Mnp.Policy.Rules;

/// <summary>Destination ports <see cref="From"/>..<see cref="To"/> of one protocol; 0..65535 means every port.</summary>
public sealed record PortRange(Protocol Protocol, int From, int To)
{
    public const int MaxPort = 65535;

    public bool IsAllPorts => From == 0 && To == MaxPort;

    public static PortRange All(Protocol protocol) => new(protocol, 0, MaxPort);

    public bool Contains(Protocol protocol, int port) => protocol == Protocol && port >= From && port <= To;
}
