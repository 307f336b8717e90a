using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Unit.E2e;

/// <summary>Answers through <see cref="PolicyEvaluator"/>, built once per snapshot.</summary>
public sealed class EvaluatorChecker(PolicyOptions options) : IReachabilityChecker
{
    private ClusterSnapshot? _snapshot;
    private PolicyEvaluator? _evaluator;

    public bool Allowed(ClusterSnapshot snapshot, PodInfo from, PodInfo to, NetworkRef network, IpFamily family, int port, Protocol protocol)
    {
        if (!ReferenceEquals(snapshot, _snapshot))
        {
            (_snapshot, _evaluator) = (snapshot, new PolicyEvaluator(snapshot, options));
        }

        return _evaluator!.Decide(from, AddressOf(from, network, family), to, AddressOf(to, network, family), network, port, protocol).Allowed;
    }

    internal static IPAddress AddressOf(PodInfo pod, NetworkRef network, IpFamily family) =>
        pod.Interfaces.Where(i => i.Network == network).SelectMany(i => i.Addresses)
            .First(a => a.AddressFamily == (family == IpFamily.V6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork));
}
