using System.CommandLine;
using System.Text;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Cli;

/// <summary>
/// <c>mnp render</c>: for each selected pod, the iptables-save text the agent would program into its
/// network namespace, per family (<c>--backend nftables</c>: the one <c>inet mnp</c> table as <c>nft list table</c>
/// prints it). Deterministic: the same input gives byte-identical output.
/// </summary>
internal sealed class RenderCommand : Command
{
    private readonly ClusterOptionSet _cluster = new();
    private readonly Option<string[]> _pods = new("--pod") { Description = "Only this pod (NS/NAME); repeatable", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string?> _node = new("--node") { Description = "Only pods on this node" };
    private readonly Option<string> _family = CommonOptions.Family("all", "ipv4", "ipv6", "all");
    private readonly Option<string> _backend = CommonOptions.Backend();
    private readonly PolicyOptionSet _policy = new();

    public RenderCommand()
        : base("render", "Print the rules mnp would program into each pod's network namespace (iptables-save text)")
    {
        _cluster.AddTo(this);
        Options.Add(_pods);
        Options.Add(_node);
        Options.Add(_family);
        Options.Add(_backend);
        _policy.AddTo(this);
        SetAction((result, cancellationToken) => CliRunner.RunAsync(result.GetValue(GlobalOptions.Verbose), cancellationToken, CliRunner.OnSignal.StopAtOnce, token => RunAsync(result, token)));
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var (snapshot, ns) = await _cluster.LoadAsync(result, cancellationToken).ConfigureAwait(false);
        var options = _policy.Read(result);
        var families = FamilyNames.Parse(result.GetValue(_family));
        var nftables = result.GetValue(_backend) == "nftables";
        var compiled = PolicyCompiler.Compile(snapshot, result.GetValue(_node), options).ToDictionary(p => p.Pod.Key, StringComparer.Ordinal);
        foreach (var problem in compiled.Values.SelectMany(p => p.Problems))
        {
            Console.Error.WriteLine($"mnp: refused: {problem}");
        }

        var output = new StringBuilder();
        foreach (var pod in SelectPods(snapshot, compiled, result.GetValue(_pods) ?? [], result.GetValue(_node), ns))
        {
            output.Append("# pod ").Append(pod.Key).Append('\n');
            if (!compiled.TryGetValue(pod.Key, out var rules))
            {
                output.Append("# no managed secondary interface on this node: nothing to program\n");
                continue;
            }

            if (nftables)
            {
                // One inet table serves both families, so --family does not split it.
                var table = NftRenderer.Render(rules, options);
                output.Append(table is null ? "# no governed interface: no table of ours\n" : NftText.Write(table));
                continue;
            }

            foreach (var family in families)
            {
                output.Append("# ").Append(FamilyNames.Name(family)).Append('\n');
                output.Append(IptablesSaveWriter.Write(TableRenderer.Render(rules, family, options)));
            }
        }

        await Console.Out.WriteAsync(output.ToString()).ConfigureAwait(false);
        return 0;
    }

    private static IEnumerable<PodInfo> SelectPods(ClusterSnapshot snapshot, Dictionary<string, PodRules> compiled, string[] requested, string? node, string? ns)
    {
        if (requested.Length == 0)
        {
            return snapshot.Pods.Where(p => compiled.ContainsKey(p.Key) && (ns is null || p.Namespace == ns));
        }

        var byKey = snapshot.Pods.ToDictionary(p => p.Key, StringComparer.Ordinal);
        return requested.Select(key => byKey.TryGetValue(key, out var pod)
            ? pod
            : throw new CliException($"--pod {key}: no such pod in the {(ns is null ? "manifests" : "cluster")}{(node is null ? "" : $" (node {node})")}"));
    }
}
