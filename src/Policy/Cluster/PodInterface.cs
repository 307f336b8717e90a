namespace Mnp.Policy.Cluster;

/// <summary>One secondary interface of a pod, from its <c>k8s.v1.cni.cncf.io/network-status</c> annotation.</summary>
public sealed record PodInterface(NetworkRef Network, string Interface, ImmutableArray<IPAddress> Addresses, string? Mac);
