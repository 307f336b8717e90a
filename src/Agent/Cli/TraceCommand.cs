using System.CommandLine;
using System.Net;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Netfilter;

namespace Mnp.Agent.Cli;

/// <summary>
/// <c>mnp trace</c>: decides one new connection with the engine the agent compiles from and explains why.
/// Exit code 0 allowed, 3 denied, other non-zero on error.
/// </summary>
internal sealed class TraceCommand : Command
{
    public const int DeniedExitCode = 3;

    private readonly ClusterOptionSet _cluster = new();
    private readonly Option<string> _from = new("--from") { Description = "Source: NS/POD or an IP address", Required = true };
    private readonly Option<string> _to = new("--to") { Description = "Destination: NS/POD or an IP address", Required = true };
    private readonly Option<string> _port = new("--port") { Description = "Destination port number or container port name", Required = true };
    private readonly Option<string> _protocol = new("--protocol") { Description = "TCP, UDP or SCTP", DefaultValueFactory = _ => "TCP" };
    private readonly Option<string?> _network = new("--network") { Description = "The network NS/NAD (required when the ends share several)" };
    private readonly Option<string> _family = CommonOptions.Family(null, "ipv4", "ipv6");
    private readonly Option<string> _output = CommonOptions.Output("text", "text", "json");
    private readonly PolicyOptionSet _policy = new();

    public TraceCommand()
        : base("trace", "Decide whether a new connection is allowed and explain why")
    {
        _cluster.AddTo(this);
        foreach (var option in new Option[] { _from, _to, _port, _protocol, _network, _family, _output })
        {
            Options.Add(option);
        }

        _policy.AddTo(this);
        SetAction((result, cancellationToken) => CliRunner.RunAsync(result.GetValue(GlobalOptions.Verbose), cancellationToken, CliRunner.OnSignal.StopAtOnce, token => RunAsync(result, token)));
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var (snapshot, ns) = await _cluster.LoadAsync(result, cancellationToken).ConfigureAwait(false);
        var evaluator = new PolicyEvaluator(snapshot, _policy.Read(result));
        TraceResult trace;
        try
        {
            trace = evaluator.Trace(BuildQuery(result, ns));
        }
        catch (TraceException e)
        {
            throw new CliException(e.Message);
        }

        await Console.Out.WriteAsync(result.GetValue(_output) == "json" ? TraceJson.Write(trace) + "\n" : TraceText.Write(trace)).ConfigureAwait(false);
        return trace.Allowed ? 0 : DeniedExitCode;
    }

    private ConnectionQuery BuildQuery(ParseResult result, string? ns)
    {
        // Without --family the evaluator picks the family of an IP end, else IPv4.
        IpFamily? family = result.GetValue(_family) is { } name ? FamilyNames.Parse(name)[0] : null;
        return new ConnectionQuery(
            EndpointRef.Parse(InNamespace(result.GetValue(_from)!, ns)),
            EndpointRef.Parse(InNamespace(result.GetValue(_to)!, ns)),
            result.GetValue(_port)!,
            ProtocolNames.Parse(result.GetValue(_protocol)!, "--protocol"),
            NetworkNames.Parse(result.GetValue(_network)),
            family);
    }

    /// <summary>A bare pod name (no <c>/</c>, not an address) is in <paramref name="ns"/> (-n, or the context's), as kubectl reads names.</summary>
    private static string InNamespace(string end, string? ns) =>
        ns is not null && !end.Contains('/', StringComparison.Ordinal) && !IPAddress.TryParse(end, out _) ? $"{ns}/{end}" : end;
}
