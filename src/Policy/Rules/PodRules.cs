using Mnp.Policy.Cluster;

namespace Mnp.Policy.Rules;

/// <summary>The compiled, backend-neutral rules of one local pod: one entry per managed interface.</summary>
public sealed record PodRules(PodInfo Pod, ImmutableArray<InterfaceRules> Interfaces);
