using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Cli;

/// <summary>inspect and cleanup refuse bad arguments in one line with exit 2, before they need root or a node.</summary>
public sealed class InspectCleanupArgumentTests
{
    [Theory]
    [InlineData("inspect: name pods as NS/NAME, or give --all", "inspect")]
    [InlineData("inspect: give pods or --all, not both", "inspect", "x/a", "--all")]
    [InlineData("inspect: -f is what --diff compares with; add --diff", "inspect", "--all", "-f", "x.yaml")]
    [InlineData("inspect: -f and --kubeconfig exclude each other: the objects come from files or from the API", "inspect", "--all", "--diff", "-f", "x.yaml", "--kubeconfig", "k")]
    [InlineData("inspect: nopod: a pod is named NS/NAME", "inspect", "nopod")]
    public async Task Inspect_refuses_in_one_line(string message, params string[] args)
    {
        var run = await MnpCli.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"mnp: {message}\n", run.Error);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task An_unknown_output_format_is_one_line()
    {
        var run = await MnpCli.RunAsync("inspect", "--all", "-o", "yaml");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains("yaml", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleanup_checks_the_lab_name_first()
    {
        var run = await MnpCli.RunAsync("cleanup", "--lab", "Bad_Name");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains("Bad_Name", run.Error, StringComparison.Ordinal);
    }
}
