namespace Mnp.Tests.Unit.Delivery;

/// <summary>Every flag the DaemonSets pass to <c>mnp agent</c> is one of the agent's flags.</summary>
public sealed class AgentFlagTests
{
    /// <summary>The agent's flags as cli.md fixes them ("The agent and the operator verbs").</summary>
    private static readonly string[] CliContractFlags =
    [
        "--kubeconfig", "--manifests", "--lab", "--hostname-override", "--host-prefix", "--container-runtime-endpoint",
        "--listen", "--sync-period", "--backend", "--network-plugins", "--accept-icmp", "--accept-icmpv6", "--accept-neighbor-discovery",
    ];

    [Theory]
    [InlineData("base")]
    [InlineData("openshift")]
    public async Task DaemonSet_flags_are_agent_flags_each_given_once(string overlay)
    {
        var container = Kustomize.Single(await Kustomize.BuildAsync(overlay), "DaemonSet")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(["/usr/local/bin/mnp", "agent"], container["command"]!.AsArray().Select(c => (string)c!));
        var flags = container["args"]!.AsArray().Select(a => (string)a!).Where(a => a.StartsWith('-')).ToList();

        Assert.NotEmpty(flags);
        Assert.Equal(flags.Distinct(StringComparer.Ordinal), flags);
        Assert.All(flags, f => Assert.Contains(f, CliContractFlags));
    }
}
