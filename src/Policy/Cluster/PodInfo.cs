namespace Mnp.Policy.Cluster;

/// <summary>A Pod as the engine needs it.</summary>
public sealed record PodInfo(
    string Namespace,
    string Name,
    string Uid,
    ImmutableDictionary<string, string> Labels,
    string Phase,
    bool HostNetwork,
    string? NodeName,
    ImmutableArray<ContainerPort> Ports,
    ImmutableArray<PodInterface> Interfaces,
    ImmutableArray<NetworkRequest> RequestedNetworks)
{
    /// <summary>Only Running pods without hostNetwork are policy targets and selector peers.</summary>
    public bool IsPolicyEndpoint => Phase == "Running" && !HostNetwork;

    public string Key => $"{Namespace}/{Name}";
}
