using Mnp.Policy.Cluster;

namespace Mnp.Tests.Unit.Support;

/// <summary>
/// A new connection between a pod and an address no pod of the snapshot holds on <see cref="Network"/>:
/// egress to it when <see cref="Outbound"/>, else ingress from it.
/// </summary>
public sealed record ExternalFlow(string Pod, IPAddress Address, bool Outbound, NetworkRef Network, int Port, Protocol Protocol)
{
    public override string ToString() =>
        $"{(Outbound ? $"{Pod}->{Address}" : $"{Address}->{Pod}")} {Protocol.ToString().ToUpperInvariant()}/{Port} on {Network}";
}
