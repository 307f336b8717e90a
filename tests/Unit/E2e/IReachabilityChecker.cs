using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.E2e;

/// <summary>
/// Decides whether a new connection from one pod to another pod's address on a network passes.
/// The e2e case data runs through any implementation: the evaluator now, compiled rules + classifier later.
/// </summary>
public interface IReachabilityChecker
{
    bool Allowed(ClusterSnapshot snapshot, PodInfo from, PodInfo to, NetworkRef network, IpFamily family, int port, Protocol protocol);
}
