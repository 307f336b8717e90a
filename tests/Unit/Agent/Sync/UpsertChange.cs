using Mnp.Agent.Sources;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Spec;

namespace Mnp.Tests.Unit.Agent.Sync;

/// <summary>
/// The watch event a source hands the engine for a parsed object, keyed by the object's own kind, namespace and name,
/// so that engine tests feed objects the way the Kubernetes and manifest sources do.
/// </summary>
internal static class UpsertChange
{
    public static ClusterChange Of(object value, DateTimeOffset seen)
    {
        var key = value switch
        {
            PodInfo p => new ObjectKey(ManifestKinds.Pod, p.Namespace, p.Name),
            NamespaceInfo n => new ObjectKey(ManifestKinds.Namespace, "", n.Name),
            NetworkAttachmentInfo n => new ObjectKey(ManifestKinds.NetworkAttachmentDefinition, n.Namespace, n.Name),
            PolicyInfo p => new ObjectKey(ManifestKinds.MultiNetworkPolicy, p.Namespace, p.Name),
            _ => throw new ArgumentException(value.GetType().Name),
        };
        return new ClusterChange(ClusterChangeKind.Upsert, key, value, [], seen);
    }
}
