using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Cli;

/// <summary><c>mnp lab</c> input errors: one line, non-zero, before anything needs root (the lab itself is tested in tests/Privileged).</summary>
public sealed class LabCommandTests
{
    [Fact]
    public async Task Sctp_probe_is_refused_with_the_reason()
    {
        var run = await MnpCli.RunAsync("lab", "probe", "--protocol", "TCP,SCTP");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["mnp: --protocol SCTP: the lab cannot probe SCTP (the kernel has no SCTP sockets); check SCTP with mnp render or mnp trace"], run.ErrorLines);
    }

    [Theory]
    [InlineData("--timeout", "0", "mnp: --timeout: 0 is not a number of milliseconds (1-600000)")]
    [InlineData("--port", "80,http", "mnp: --port: 'http' is not a port number (1-65535)")]
    [InlineData("--protocol", "ICMP", "mnp: --protocol: unknown protocol 'ICMP' (TCP, UDP or SCTP)")]
    public async Task Bad_probe_options_are_one_line(string option, string value, string error)
    {
        var run = await MnpCli.RunAsync("lab", "probe", "--lab", "demo", option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([error], run.ErrorLines);
    }

    [Fact]
    public async Task Missing_manifest_file_is_named()
    {
        var run = await MnpCli.RunAsync("lab", "up", "-f", "/nonexistent/lab.yaml");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["mnp: /nonexistent/lab.yaml: no such file or directory"], run.ErrorLines);
    }

    [Theory]
    [InlineData("up")]
    [InlineData("apply")]
    [InlineData("delete")]
    public async Task Change_verbs_require_files(string verb)
    {
        var run = await MnpCli.RunAsync("lab", verb);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("--filename", line, StringComparison.Ordinal);
        Assert.EndsWith($"(see 'mnp lab {verb} --help')", line, StringComparison.Ordinal);
    }
}
