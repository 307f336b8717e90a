using Mnp.Agent.Cli;
using Mnp.Agent.Lab;
using Mnp.Agent.Manifests;
using Mnp.Agent.Reconcile;
using Mnp.Native;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Native.Rtnetlink;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Cli;

/// <summary>How a verb's failure reaches the operator: the project's own failures as one line, anything else as an internal error.</summary>
public sealed class CliRunnerTests
{
    public static TheoryData<string, Exception, string> OwnFailures => new()
    {
        { "missing namespace", new NetnsException(NetnsRef.Named("mnplab-t-x-a"), "open", LinuxError.ENOENT), "mnp: netns /var/run/netns/mnplab-t-x-a: open failed: ENOENT (2): No such file or directory" },
        { "missing library", new NativeLibraryException("libip4tc.so.2", "IPv4 iptables rules in netns n", new DllNotFoundException("Unable to load shared library 'libip4tc.so.2' or one of its dependencies.\n/usr/share/dotnet/libip4tc.so.2: cannot open shared object file: No such file or directory\n/lib/libip4tc.so.2: file too short")), "mnp: libip4tc.so.2: cannot be loaded (IPv4 iptables rules in netns n): /lib/libip4tc.so.2: file too short" },
        { "library not installed", new NativeLibraryException("libip6tc.so.2", "IPv6 iptables rules in netns n", new DllNotFoundException("Unable to load shared library 'libip6tc.so.2' or one of its dependencies.\n/usr/lib/libip6tc.so.2: cannot open shared object file: No such file or directory")), "mnp: libip6tc.so.2: cannot be loaded (IPv6 iptables rules in netns n): not installed (no such file on the library path)" },
        { "netlink error", new RtnetlinkException("create macvlan", "net1", "mnplab-t-node", LinuxError.ENODEV), "mnp: rtnetlink create macvlan net1 in netns mnplab-t-node: ENODEV (19): No such device" },
        { "libiptc error", new XtablesException("n", IpFamily.V4, "filter", "MNP-IN-net1", "iptc_commit", LinuxError.EINVAL, "Invalid argument"), "mnp: netns n: IPv4 filter/MNP-IN-net1: iptc_commit failed: EINVAL (22): Invalid argument" },
        { "namespace not resolved", new NetnsResolutionException("network namespace mnplab-t-x-a is missing"), "mnp: network namespace mnplab-t-x-a is missing" },
        { "lab error", new LabException("lab t is not up (mnp lab up --lab t -f ...)"), "mnp: lab t is not up (mnp lab up --lab t -f ...)" },
        { "manifest error", new ManifestLoadException("/x.yaml", "/x.yaml: no such file or directory"), "mnp: /x.yaml: no such file or directory" },
        { "file error", new IOException("/run/mnp: read-only file system"), "mnp: /run/mnp: read-only file system" },
    };

    [Theory]
    [MemberData(nameof(OwnFailures))]
    public async Task A_failure_of_our_own_is_one_line_and_a_non_zero_exit(string kind, Exception failure, string line)
    {
        using var error = new StringWriter();

        var exit = await CliRunner.RunAsync(false, () => Task.FromException<int>(failure), error);

        Assert.True(exit != 0, kind);
        Assert.Equal([line], Lines(error));
    }

    [Fact]
    public async Task A_cli_error_keeps_its_exit_code()
    {
        using var error = new StringWriter();

        var exit = await CliRunner.RunAsync(true, () => Task.FromException<int>(new CliException("--port: bad", 2)), error);

        Assert.Equal(2, exit);
        Assert.Equal(["mnp: --port: bad"], Lines(error));
    }

    [Fact]
    public async Task An_unexpected_exception_says_internal_error_and_how_to_see_the_stack_trace()
    {
        using var error = new StringWriter();

        var exit = await CliRunner.RunAsync(false, () => Task.FromException<int>(new InvalidOperationException("sequence contains\nno elements")), error);

        Assert.Equal(CliRunner.InternalErrorExitCode, exit);
        Assert.Equal(["mnp: internal error: InvalidOperationException: sequence contains no elements (run with --verbose for the stack trace)"], Lines(error));
    }

    [Fact]
    public async Task With_verbose_an_unexpected_exception_prints_its_stack_trace()
    {
        using var error = new StringWriter();

        var exit = await CliRunner.RunAsync(true, () => throw new InvalidOperationException("boom"), error);

        Assert.Equal(CliRunner.InternalErrorExitCode, exit);
        Assert.StartsWith("mnp: internal error: System.InvalidOperationException: boom", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(" at ", error.ToString(), StringComparison.Ordinal);
    }

    private static string[] Lines(StringWriter writer) => writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
