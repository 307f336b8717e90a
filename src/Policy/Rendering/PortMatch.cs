using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Rendering;

/// <summary>One protocol/port condition of a rendered rule: no protocol = any; no ports = every port of the protocol.</summary>
internal sealed record PortMatch(NetfilterProtocol? Protocol, ImmutableArray<(int From, int To)> Ports)
{
    public static PortMatch Any { get; } = new(null, []);
}
