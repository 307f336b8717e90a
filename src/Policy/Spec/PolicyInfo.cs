using Mnp.Policy.Cluster;

namespace Mnp.Policy.Spec;

/// <summary>
/// A MultiNetworkPolicy. <see cref="Spec"/> is null when the podSelector, policyTypes or the spec's
/// structure cannot be understood: the policy then isolates every pod of its namespace on its
/// <see cref="PolicyFor"/> networks in both directions and allows nothing (fail closed).
/// </summary>
public sealed record PolicyInfo(string Namespace, string Name, ImmutableArray<NetworkRef> PolicyFor, PolicySpec? Spec)
{
    public string Key => $"{Namespace}/{Name}";
}
