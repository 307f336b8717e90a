using System.Net;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Host;

/// <summary>The agent's settings, validated (<see cref="AgentOptionsReader"/>).</summary>
public sealed record AgentOptions
{
    public const int DefaultPort = 9749;

    public SourceChoice Source { get; init; }

    public string? Kubeconfig { get; init; }

    /// <summary><c>--master</c>: the API address, overriding the kubeconfig's.</summary>
    public string? Master { get; init; }

    /// <summary>The manifests folder (<c>--manifests</c>, or the lab's with <c>--lab</c> alone).</summary>
    public string? ManifestsDirectory { get; init; }

    public string? Lab { get; init; }

    public required string NodeName { get; init; }

    public string HostPrefix { get; init; } = string.Empty;

    /// <summary>The CRI socket as the host names it (without <c>unix://</c> and without the host prefix); null: the first of containerd's and CRI-O's that exists.</summary>
    public string? RuntimeEndpoint { get; init; }

    public IPEndPoint Listen { get; init; } = new(IPAddress.Any, DefaultPort);

    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    public BackendChoice Backend { get; init; } = BackendChoice.Auto;

    public PolicyOptions Policy { get; init; } = PolicyOptions.Default;

    /// <summary><c>--ignore-openshift-mnp-agent</c>: start even when OpenShift's own MultiNetworkPolicy agent is enabled.</summary>
    public bool IgnoreOpenShiftAgent { get; init; }

    /// <summary>How often a manifests folder is looked at.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
