using System.CommandLine;
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

    private readonly Option<string[]> _files = CommonOptions.Files();
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
        foreach (var option in new Option[] { _files, _from, _to, _port, _protocol, _network, _family, _output })
        {
            Options.Add(option);
        }

        _policy.AddTo(this);
        SetAction((result, cancellationToken) => CliRunner.RunAsync(result.GetValue(GlobalOptions.Verbose), cancellationToken, CliRunner.OnSignal.StopAtOnce, _ => Task.FromResult(Run(result))));
    }

    private int Run(ParseResult result)
    {
        var snapshot = ClusterInput.Load(result.GetValue(_files) ?? [], Console.Error);
        var evaluator = new PolicyEvaluator(snapshot, _policy.Read(result));
        TraceResult trace;
        try
        {
            trace = evaluator.Trace(BuildQuery(result));
        }
        catch (TraceException e)
        {
            throw new CliException(e.Message);
        }

        Console.Out.Write(result.GetValue(_output) == "json" ? TraceJson.Write(trace) + "\n" : TraceText.Write(trace));
        return trace.Allowed ? 0 : DeniedExitCode;
    }

    private ConnectionQuery BuildQuery(ParseResult result)
    {
        // Without --family the evaluator picks the family of an IP end, else IPv4.
        IpFamily? family = result.GetValue(_family) is { } name ? FamilyNames.Parse(name)[0] : null;
        return new ConnectionQuery(
            EndpointRef.Parse(result.GetValue(_from)!),
            EndpointRef.Parse(result.GetValue(_to)!),
            result.GetValue(_port)!,
            ProtocolNames.Parse(result.GetValue(_protocol)!, "--protocol"),
            NetworkNames.Parse(result.GetValue(_network)),
            family);
    }
}
