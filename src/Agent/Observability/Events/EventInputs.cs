using Mnp.Policy.Cluster;
using Mnp.Policy.Spec;

namespace Mnp.Agent.Observability.Events;

/// <summary>
/// What the Events reporter reads from the cache after a pass, kept small so that reporting costs what there is to
/// report, not the size of the cluster: the problems held (objects' and compiled rules'), the node's local
/// policy-endpoint pods, any pod on the node by <c>namespace/name</c> (null when not there), and the policies that
/// have something to report.
/// </summary>
public sealed record EventInputs(
    IEnumerable<Problem> Problems, IEnumerable<PodInfo> LocalPods, Func<string, PodInfo?> PodOnNode, IReadOnlyList<PolicyInfo> Policies);
