using System.Text.Json;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Cli;

public sealed class TraceCommandTests
{
    [Fact]
    public async Task Allowed_connection_exits_0_and_names_the_policy_and_rule_in_json()
    {
        var run = await MnpCli.RunAsync("trace", "-f", MnpCli.Fixture("two-pods.yaml"), "--from", "x/b", "--to", "x/a", "--port", "http", "--protocol", "TCP", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal("allowed", root.GetProperty("verdict").GetString());
        Assert.False(root.GetProperty("egress").GetProperty("isolated").GetBoolean());
        Assert.Equal("allowed", root.GetProperty("egress").GetProperty("verdict").GetString());
        var ingress = root.GetProperty("ingress");
        Assert.True(ingress.GetProperty("isolated").GetBoolean());
        var by = Assert.Single(ingress.GetProperty("allowedBy").EnumerateArray());
        Assert.Equal("x/allow-b", by.GetProperty("policy").GetString());
        Assert.Equal(0, by.GetProperty("rule").GetInt32());
    }

    [Fact]
    public async Task Denied_connection_exits_3_with_an_explanation()
    {
        var run = await MnpCli.RunAsync("trace", "-f", MnpCli.Fixture("two-pods.yaml"), "--from", "10.9.0.2", "--to", "x/a", "--port", "81");

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("DENIED: x/b (10.9.0.2) -> x/a (10.9.0.1) TCP/81 on x/net1", run.Output, StringComparison.Ordinal);
        Assert.Contains("isolated by x/allow-b", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_pod_is_an_error_not_a_verdict()
    {
        var run = await MnpCli.RunAsync("trace", "-f", MnpCli.Fixture("two-pods.yaml"), "--from", "x/ghost", "--to", "x/a", "--port", "80");

        Assert.NotEqual(0, run.ExitCode);
        Assert.NotEqual(3, run.ExitCode);
        Assert.Contains("x/ghost", run.ErrorLines[^1], StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }
}
