using Mnp.Policy.Cluster;

namespace Mnp.Policy.Evaluation;

/// <summary>One cell of <c>mnp matrix</c>: a new connection from pod <see cref="From"/> to pod <see cref="To"/>'s <see cref="Address"/>.</summary>
public sealed record ReachabilityFlow(string From, string To, NetworkRef Network, IPAddress Address, int Port, Protocol Protocol, bool Allowed);
