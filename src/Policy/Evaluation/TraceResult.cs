using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Evaluation;

/// <summary>The decision for one new connection: allowed iff <see cref="Egress"/> and <see cref="Ingress"/> both allow.</summary>
public sealed record TraceResult(
    TraceEndpoint From,
    TraceEndpoint To,
    NetworkRef Network,
    bool NetworkManaged,
    IpFamily Family,
    int Port,
    Protocol Protocol,
    DirectionTrace Egress,
    DirectionTrace Ingress)
{
    public bool Allowed => Egress.Allowed && Ingress.Allowed;
}
