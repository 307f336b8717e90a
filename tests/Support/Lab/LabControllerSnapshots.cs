using Mnp.Agent.Lab;
using Mnp.Native.Backends;
using Mnp.Policy.Cluster;

namespace Mnp.Tests.Support.Lab;

/// <summary>
/// A lab made from and brought to records instead of manifests: pods with interfaces but no <c>networks</c> requests
/// ask for exactly those interfaces and addresses (<see cref="LabSnapshotRequests"/>). Only tests hold snapshots, so
/// this lives here; it goes through the controller's one build and one commit path, as the verbs do.
/// </summary>
public static class LabControllerSnapshots
{
    public static Task<LabSummary> UpAsync(
        this LabController controller, string lab, ClusterSnapshot snapshot, FirewallBackendKind backend = FirewallBackendKind.Iptables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(controller);
        var desired = LabSnapshotRequests.FromInterfaces(snapshot);
        return controller.UpAsync(lab, desired, state => LabManifests.Write(controller.Store.ManifestsDirectory(lab), desired, state), false, backend, [], cancellationToken);
    }

    /// <summary>Brings an existing lab to a whole snapshot of records (the records' counterpart of <c>apply</c> and <c>delete</c>).</summary>
    public static Task<LabSummary> ApplyAsync(this LabController controller, string lab, ClusterSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(controller);
        var desired = LabSnapshotRequests.FromInterfaces(snapshot);
        return controller.CommitAsync(lab, desired, state => LabManifests.Write(controller.Store.ManifestsDirectory(lab), desired, state), [], cancellationToken);
    }
}
