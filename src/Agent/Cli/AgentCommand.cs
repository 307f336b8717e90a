using System.CommandLine;
using Mnp.Agent.Host;

namespace Mnp.Agent.Cli;

/// <summary>
/// <c>mnp agent</c>: the node agent (docs/cli.md §7). Every flag can also come from the
/// environment as <c>MNP_FLAG_NAME</c>; the node name from <c>--hostname-override</c>, else <c>NODE_NAME</c>, else the
/// host name. Bad values are reported one per line before anything starts (exit 2).
/// </summary>
internal sealed class AgentCommand : Command
{
    private static readonly HashSet<string> Switches = ["--accept-icmp", "--accept-icmpv6", "--ignore-openshift-mnp-agent"];

    public AgentCommand()
        : base("agent", "Run the node agent: keep every local pod's rules equal to the MultiNetworkPolicies")
    {
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var flag in AgentOptionsReader.Flags)
        {
            Option option = Switches.Contains(flag)
                ? new Option<bool>(flag) { Description = Describe(flag) }
                : new Option<string>(flag) { Description = Describe(flag) };
            options[flag] = option;
            Options.Add(option);
        }

        SetAction((result, cancellationToken) => CliRunner.RunAsync(result.GetValue(GlobalOptions.Verbose), async () =>
        {
            string? Value(string flag)
            {
                var option = options[flag];
                if (result.GetResult(option) is { Implicit: false })
                {
                    return option is Option<bool> switchOption ? (result.GetValue(switchOption) ? "true" : "false") : result.GetValue((Option<string>)option);
                }

                return Environment.GetEnvironmentVariable(AgentOptionsReader.EnvironmentName(flag));
            }

            var (agentOptions, errors) = AgentOptionsReader.Read(Value, Environment.GetEnvironmentVariable);
            if (agentOptions is null)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync($"mnp agent: {error}").ConfigureAwait(false);
                }

                return 2;
            }

            if (!Environment.IsPrivilegedProcess)
            {
                throw new CliException("agent: needs root (enters pod network namespaces and writes netfilter rules)");
            }

            return await AgentHost.RunAsync(agentOptions, cancellationToken).ConfigureAwait(false);
        }));
    }

    private static string Describe(string flag) => flag switch
    {
        "--kubeconfig" => "Kubeconfig file (default: the in-cluster service account)",
        "--master" => "API server address, overriding the kubeconfig's",
        "--manifests" => "Read the cluster from this folder of manifests (watched) instead of the API",
        "--lab" => "Run on a lab: its node, its named namespaces, and (without a source flag) its manifests folder",
        "--hostname-override" => "This node's name (default: NODE_NAME, else the host name)",
        "--host-prefix" => "Where the host's filesystem is mounted (CRI socket, /proc, /run/netns), e.g. /host",
        "--container-runtime" => "Only 'cri'",
        "--container-runtime-endpoint" => "CRI socket (default: containerd's or CRI-O's, whichever exists)",
        "--custom-rules" => "YAML/JSON file of what isolated directions also accept: ICMP/ICMPv6 types, neighbour discovery, source/destination prefixes",
        "--listen" => $"ADDR:PORT of /healthz, /readyz and /metrics (default 0.0.0.0:{AgentOptions.DefaultPort})",
        "--sync-period" => "Full resync period, which also repairs drift (default 30s)",
        "--backend" => "auto|iptables|nftables (default auto)",
        "--network-plugins" => "Comma-separated NAD CNI types whose networks are managed",
        "--accept-icmp" => "Isolated IPv4 directions accept ICMP",
        "--accept-icmpv6" => "Isolated IPv6 directions accept ICMPv6",
        "--accept-neighbor-discovery" => "true|false: accept IPv6 neighbour discovery (default true)",
        "--ignore-openshift-mnp-agent" => "Program pods even when OpenShift's own MultiNetworkPolicy agent is enabled (both would enforce)",
        _ => flag,
    };
}
