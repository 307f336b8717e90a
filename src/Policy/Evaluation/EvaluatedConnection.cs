using Mnp.Policy.Cluster;

namespace Mnp.Policy.Evaluation;

/// <summary>A resolved new connection on one network, as the per-direction decision sees it.</summary>
internal sealed record EvaluatedConnection(ResolvedEnd From, ResolvedEnd To, NetworkRef Network, int Port, Protocol Protocol);
