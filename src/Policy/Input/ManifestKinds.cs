namespace Mnp.Policy.Input;

/// <summary>The object kinds (and their apiVersions) that manifests may hold.</summary>
public static class ManifestKinds
{
    public const string Namespace = "Namespace";
    public const string Pod = "Pod";
    public const string NetworkAttachmentDefinition = NetworkAttachmentDefinitionParser.Kind;
    public const string MultiNetworkPolicy = MultiNetworkPolicyParser.Kind;

    /// <summary>True when <paramref name="kind"/> at <paramref name="apiVersion"/> is one we read.</summary>
    public static bool IsSupported(string apiVersion, string kind) => (apiVersion, kind) switch
    {
        ("v1", Namespace) => true,
        ("v1", Pod) => true,
        ("k8s.cni.cncf.io/v1", NetworkAttachmentDefinition) => true,
        ("k8s.cni.cncf.io/v1beta1" or "k8s.cni.cncf.io/v1beta2", MultiNetworkPolicy) => true,
        _ => false,
    };

    /// <summary>Namespace is the only cluster-scoped kind we read.</summary>
    public static bool IsNamespaced(string kind) => kind != Namespace;
}
