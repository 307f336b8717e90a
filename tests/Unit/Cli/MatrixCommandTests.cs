using System.Text.Json;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Cli;

public sealed class MatrixCommandTests
{
    [Fact]
    public async Task Json_lists_every_ordered_pair_port_and_protocol_with_its_verdict()
    {
        var run = await MnpCli.RunAsync("matrix", "-f", MnpCli.Fixture("two-pods.yaml"), "--port", "80,81", "--protocol", "TCP,UDP", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var flows = json.RootElement.GetProperty("flows").EnumerateArray()
            .Select(f => $"{f.GetProperty("from").GetString()}>{f.GetProperty("to").GetString()} {f.GetProperty("port").GetInt32()}/{f.GetProperty("protocol").GetString()} {f.GetProperty("verdict").GetString()} {f.GetProperty("network").GetString()} {f.GetProperty("address").GetString()}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(8, flows.Count);
        Assert.Contains("x/b>x/a 80/TCP allowed x/net1 10.9.0.1", flows);
        Assert.Contains("x/b>x/a 81/TCP denied x/net1 10.9.0.1", flows);
        Assert.Contains("x/b>x/a 80/UDP denied x/net1 10.9.0.1", flows);
        Assert.Contains("x/a>x/b 81/UDP allowed x/net1 10.9.0.2", flows);
    }

    [Fact]
    public async Task Table_marks_allowed_with_a_dot_and_denied_with_an_X_per_port_and_protocol()
    {
        var run = await MnpCli.RunAsync("matrix", "-f", MnpCli.Fixture("two-pods.yaml"), "--port", "81");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Equal("81/TCP", lines[0]);
        Assert.Equal("x/a -   .", lines[2]);
        Assert.Equal("x/b X   -", lines[3]);
    }

    [Fact]
    public async Task Default_ports_are_the_destinations_container_ports_or_80_tcp()
    {
        var run = await MnpCli.RunAsync("matrix", "-f", MnpCli.Fixture("two-pods.yaml"), "-o", "json");

        using var json = JsonDocument.Parse(run.Output);
        var ports = json.RootElement.GetProperty("flows").EnumerateArray()
            .Select(f => (f.GetProperty("to").GetString(), f.GetProperty("port").GetInt32()))
            .ToList();
        Assert.Equal([("x/b", 80), ("x/a", 80)], ports.Order().Reverse().ToList());
    }

    [Fact]
    public async Task A_bad_port_list_is_a_one_line_error()
    {
        var run = await MnpCli.RunAsync("matrix", "-f", MnpCli.Fixture("two-pods.yaml"), "--port", "80,http");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("mnp: --port: 'http' is not a port number (1-65535)", run.ErrorLines[^1]);
    }
}
