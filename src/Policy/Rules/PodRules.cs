using Mnp.Policy.Cluster;

namespace Mnp.Policy.Rules;

/// <summary>
/// The compiled, backend-neutral rules of one local pod: one entry per managed interface. <see cref="Problems"/>
/// names the policy rules that were refused for this pod (they contribute nothing: never more access).
/// </summary>
public sealed record PodRules(PodInfo Pod, ImmutableArray<InterfaceRules> Interfaces)
{
    public ImmutableArray<Problem> Problems { get; init; } = [];
}
