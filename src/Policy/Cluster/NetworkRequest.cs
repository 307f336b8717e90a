namespace Mnp.Policy.Cluster;

/// <summary>One entry of a pod's <c>k8s.v1.cni.cncf.io/networks</c> annotation (what the pod asks Multus for).</summary>
public sealed record NetworkRequest(NetworkRef Network, string? Interface, ImmutableArray<string> Ips);
