using System.CommandLine;

namespace Mnp.Agent.Cli;

/// <summary>
/// Where the operator verbs that visit a node's pods (inspect, cleanup) find the host: the agent's own flags, with the
/// same <c>MNP_</c> environment variables as defaults, so that run in the agent's container they see what it sees.
/// </summary>
internal static class NodeOptions
{
    public static Option<string> HostPrefix() => new("--host-prefix")
    {
        Description = "Where the host's filesystem is mounted (CRI socket, /proc, /run/netns, /run/mnp); default: MNP_HOST_PREFIX",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MNP_HOST_PREFIX") ?? string.Empty,
    };

    public static Option<string?> RuntimeEndpoint() => new("--container-runtime-endpoint")
    {
        Description = "CRI socket as the host names it; default: MNP_CONTAINER_RUNTIME_ENDPOINT, else containerd's or CRI-O's, whichever exists",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MNP_CONTAINER_RUNTIME_ENDPOINT") is { Length: > 0 } socket ? socket : null,
    };
}
