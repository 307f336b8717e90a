using System.CommandLine;
using System.Globalization;
using Mnp.Agent.Lab.Probe;

namespace Mnp.Agent.Cli.Lab;

/// <summary><c>mnp lab probe</c>: real connections between lab pods; exit 0 whenever the probe ran, whatever it observed.</summary>
internal sealed class LabProbeCommand : Command
{
    private readonly Option<string> _lab = LabOptions.Lab();
    private readonly Option<string[]> _from = new("--from") { Description = "Only from this pod (NS/POD); repeatable" };
    private readonly Option<string[]> _to = new("--to") { Description = "Only to this pod (NS/POD); repeatable" };
    private readonly Option<string?> _port = new("--port") { Description = "Ports P[,P...] (default: the destination's declared ports, 80 if none)" };
    private readonly Option<string?> _protocol = new("--protocol") { Description = "TCP|UDP[,...] (default: the declared ports' protocols, TCP if none)" };
    private readonly Option<int> _timeout = new("--timeout") { Description = "Per-attempt timeout in milliseconds", DefaultValueFactory = _ => 500 };
    private readonly Option<string> _output = CommonOptions.Output("table", "table", "json", "html");

    public LabProbeCommand()
        : base("probe", "Try a new connection between every ordered pair of lab pods on every shared network, port and protocol")
    {
        foreach (var option in new Option[] { _lab, _from, _to, _port, _protocol, _timeout, _output })
        {
            Options.Add(option);
        }

        SetAction((result, cancellationToken) => LabOptions.RunAsync(result, null, () => Read(result), async (controller, request, token) =>
        {
            var results = await controller.ProbeAsync(
                result.GetValue(_lab)!, request.Filter, request.Timeout, token, warning => Console.Error.WriteLine($"mnp: warning: {warning}")).ConfigureAwait(false);
            await Console.Out.WriteAsync(result.GetValue(_output) switch
            {
                "json" => ProbeOutput.ToJson(results) + "\n",
                "html" => Html.ProbePage.Write(new Mnp.Agent.Lab.LabStore(), result.GetValue(_lab)!, results),
                _ => ProbeOutput.ToTable(results),
            }).ConfigureAwait(false);
            return 0;
        }, cancellationToken));
    }

    private (ProbeFilter Filter, TimeSpan Timeout) Read(ParseResult result)
    {
        var timeout = result.GetValue(_timeout);
        if (timeout is < 1 or > 600_000)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--timeout: {timeout} is not a number of milliseconds (1-600000)"));
        }

        var filter = new ProbeFilter(
            [.. result.GetValue(_from) ?? []],
            [.. result.GetValue(_to) ?? []],
            ProtocolNames.ParsePorts(result.GetValue(_port), "--port"),
            ProtocolNames.ParseList(result.GetValue(_protocol), "--protocol"));
        if (filter.Protocols.Contains(Mnp.Policy.Cluster.Protocol.Sctp))
        {
            throw new CliException("--protocol SCTP: the lab cannot probe SCTP (the kernel has no SCTP sockets); check SCTP with mnp render or mnp trace");
        }

        return (filter, TimeSpan.FromMilliseconds(timeout));
    }
}
