namespace Mnp.Policy.Input;

/// <summary>The Multus and MultiNetworkPolicy annotation keys, and how problems in them are named.</summary>
public static class Annotations
{
    public const string PolicyFor = "k8s.v1.cni.cncf.io/policy-for";
    public const string NetworkStatus = "k8s.v1.cni.cncf.io/network-status";
    public const string Networks = "k8s.v1.cni.cncf.io/networks";

    /// <summary>The problem field for an annotation, e.g. <c>metadata.annotations[k8s.v1.cni.cncf.io/policy-for]</c>.</summary>
    public static string Field(string key) => $"metadata.annotations[{key}]";
}
