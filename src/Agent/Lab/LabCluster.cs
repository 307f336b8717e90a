using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab;

/// <summary>
/// What the lab makes the cluster look like once it is up, as the API server and Multus would: each Namespace
/// labelled <c>kubernetes.io/metadata.name</c>, each lab Pod Running on the lab node with the interfaces its
/// network-status annotation lists. Pods not in the lab (hostNetwork) are left as they are.
/// </summary>
public static class LabCluster
{
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>The node every lab pod runs on (the name of the lab's node namespace).</summary>
    public static string NodeName(string lab) => LabPlanner.NodeNetnsName(lab);

    public static ClusterSnapshot Materialize(ClusterSnapshot snapshot, LabState state)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(state);
        return snapshot with
        {
            Namespaces = [.. snapshot.Namespaces.Select(n => n with { Labels = n.Labels.SetItem(NamespaceNameLabel, n.Name) })],
            Pods = [.. snapshot.Pods.Select(p => Materialize(p, state))],
        };
    }

    private static PodInfo Materialize(PodInfo pod, LabState state) =>
        state.FindPod(pod.Key) is { } labPod
            ? pod with { Phase = "Running", NodeName = NodeName(state.Name), Interfaces = NetworkStatus.ToPodInterfaces(labPod) }
            : pod;
}
