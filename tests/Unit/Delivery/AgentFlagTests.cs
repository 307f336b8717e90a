using System.Text.RegularExpressions;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Delivery;

/// <summary>Every flag the DaemonSets pass to <c>mnp agent</c> is one the real executable lists in <c>mnp agent --help</c>, and one docs/cli.md §7 fixes.</summary>
public sealed partial class AgentFlagTests
{
    /// <summary>The agent's flags as docs/cli.md §7 fixes them.</summary>
    private static readonly string[] CliContractFlags =
    [
        "--kubeconfig", "--manifests", "--lab", "--hostname-override", "--host-prefix", "--container-runtime-endpoint",
        "--listen", "--sync-period", "--backend", "--network-plugins", "--accept-icmp", "--accept-icmpv6", "--accept-neighbor-discovery",
    ];

    [Theory]
    [InlineData("base")]
    [InlineData("openshift")]
    public async Task DaemonSet_flags_are_in_mnp_agent_help_and_in_the_cli_contract_each_given_once(string overlay)
    {
        var help = await MnpCli.RunAsync("agent", "--help");
        Assert.Equal(0, help.ExitCode);
        var agentFlags = HelpFlag().Matches(help.Output).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("--host-prefix", agentFlags);
        var container = Kustomize.Single(await Kustomize.BuildAsync(overlay), "DaemonSet")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(["/usr/local/bin/mnp", "agent"], container["command"]!.AsArray().Select(c => (string)c!));
        var flags = container["args"]!.AsArray().Select(a => (string)a!).Where(a => a.StartsWith('-')).ToList();

        Assert.NotEmpty(flags);
        Assert.Equal(flags.Distinct(StringComparer.Ordinal), flags);
        Assert.All(flags, f => Assert.Contains(f, agentFlags));
        Assert.All(flags, f => Assert.Contains(f, CliContractFlags));
    }

    [GeneratedRegex(@"^\s+(--[a-z][a-z0-9-]*)", RegexOptions.Multiline)]
    private static partial Regex HelpFlag();
}
