using System.CommandLine;
using Mnp.Policy.Evaluation;

namespace Mnp.Agent.Cli;

/// <summary>
/// <c>mnp matrix</c>: the trace verdict for every ordered pair of distinct pods sharing a network, every
/// port and protocol: what a reviewer reads before applying a policy and what <c>lab probe</c> must then
/// observe. The table has the same layout as <c>lab probe</c>'s.
/// </summary>
internal sealed class MatrixCommand : Command
{
    private readonly ClusterOptionSet _cluster = new();
    private readonly Option<string?> _network = new("--network") { Description = "Only this network NS/NAD" };
    private readonly Option<string?> _ports = new("--port") { Description = "Ports P[,P...] (default: each destination's container ports, 80/TCP if none)" };
    private readonly Option<string?> _protocols = new("--protocol") { Description = "Protocols TCP|UDP|SCTP[,...]" };
    private readonly Option<string> _family = CommonOptions.Family(null, "ipv4", "ipv6", "all");
    private readonly Option<string> _output = CommonOptions.Output("table", "table", "json", "html");
    private readonly PolicyOptionSet _policy = new();

    public MatrixCommand()
        : base("matrix", "Print the reachability the policies imply for every pair of pods, port and protocol")
    {
        _cluster.AddTo(this);
        foreach (var option in new Option[] { _network, _ports, _protocols, _family, _output })
        {
            Options.Add(option);
        }

        _policy.AddTo(this);
        SetAction((result, cancellationToken) => CliRunner.RunAsync(result.GetValue(GlobalOptions.Verbose), cancellationToken, CliRunner.OnSignal.StopAtOnce, token => RunAsync(result, token)));
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var network = NetworkNames.Parse(result.GetValue(_network));
        var (snapshot, ns) = await _cluster.LoadAsync(result, cancellationToken).ConfigureAwait(false);
        if (network is { } only && !snapshot.Networks.Any(n => n.Ref == only) && !snapshot.Pods.Any(p => p.Interfaces.Any(i => i.Network == only)))
        {
            // As trace: a network nothing knows is an error, not an empty matrix.
            throw new CliException($"--network: no NetworkAttachmentDefinition and no pod interface is on network {only}");
        }

        var family = result.GetValue(_family);
        var request = new ReachabilityRequest
        {
            Network = network,
            Ports = ProtocolNames.ParsePorts(result.GetValue(_ports), "--port"),
            Protocols = ProtocolNames.ParseList(result.GetValue(_protocols), "--protocol"),
            Families = FamilyNames.Parse(family ?? "ipv4"),
            SharedFamilyOnly = family is null,
        };
        var evaluator = new PolicyEvaluator(snapshot, _policy.Read(result));
        var flows = evaluator.Reachability(request);
        if (ns is not null)
        {
            // -n: both ends in the namespace (the evaluation still saw the whole cluster).
            var prefix = ns + "/";
            flows = [.. flows.Where(f => f.From.StartsWith(prefix, StringComparison.Ordinal) && f.To.StartsWith(prefix, StringComparison.Ordinal))];
        }

        await Console.Out.WriteAsync(result.GetValue(_output) switch
        {
            "json" => ReachabilityJson.Write(flows) + "\n",
            "html" => Html.MatrixPage.Write(evaluator, flows, _cluster.Files(result)),
            _ => ReachabilityTable.Write([.. flows.Select(ReachabilityCell.Of)]),
        }).ConfigureAwait(false);
        return 0;
    }
}
