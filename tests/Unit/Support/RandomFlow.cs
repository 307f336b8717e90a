using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Support;

/// <summary>A new connection between two pods of a <see cref="RandomCluster"/> on a network both are on.</summary>
public sealed record RandomFlow(string From, string To, NetworkRef Network, IpFamily Family, int Port, Protocol Protocol)
{
    public override string ToString() => $"{From}->{To} {Protocol.ToString().ToUpperInvariant()}/{Port} on {Network} {Family}";
}
