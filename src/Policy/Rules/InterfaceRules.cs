using Mnp.Policy.Cluster;

namespace Mnp.Policy.Rules;

/// <summary>The rules for one managed secondary interface of a local pod.</summary>
public sealed record InterfaceRules(string Interface, NetworkRef Network, ImmutableArray<IPAddress> Addresses, DirectionRules Ingress, DirectionRules Egress)
{
    public bool IsGoverned => Ingress.Isolated || Egress.Isolated;
}
