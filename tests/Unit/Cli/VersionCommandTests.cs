using System.Text.Json;
using Mnp.Agent.Cli;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Cli;

public sealed class VersionCommandTests
{
    [Fact]
    public async Task Json_names_the_build_commit_runtime_and_backends_and_text_says_the_same()
    {
        var json = await MnpCli.RunAsync("version", "-o", "json");
        var text = await MnpCli.RunAsync("version");

        Assert.Equal(0, json.ExitCode);
        Assert.Equal(0, text.ExitCode);
        using var doc = JsonDocument.Parse(json.Output);
        var root = doc.RootElement;
        var version = root.GetProperty("version").GetString()!;
        var commit = root.GetProperty("commit").GetString()!;
        Assert.Matches(@"^[0-9]+\.[0-9]+\.[0-9]+", version);
        Assert.Matches("^[0-9a-f]{40}$", commit);
        Assert.StartsWith(".NET 10", root.GetProperty("runtime").GetString(), StringComparison.Ordinal);
        var backends = root.GetProperty("backends").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!, b => b.GetProperty("available").GetBoolean(), StringComparer.Ordinal);
        // scripts/install-prereqs.sh installs libip4tc2 and libip6tc2, so the iptables backend can run here.
        Assert.True(backends["iptables"]);
        Assert.Equal(["iptables", "nftables"], backends.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith($"mnp {version} (commit {commit})\n", text.Output, StringComparison.Ordinal);
        Assert.Contains("backend iptables: available (libip4tc.so.2, libip6tc.so.2, kernel ip_tables)\n", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_libiptc_names_the_package_to_install()
    {
        var backends = BackendAvailability.Probe(library => library != "libip6tc.so.2", legacyTables: true);

        var iptables = Assert.Single(backends, b => b.Name == "iptables");
        Assert.False(iptables.Available);
        Assert.Equal("libip6tc.so.2 not found (install libip6tc2 on Debian, iptables-libs on RHEL)", iptables.Detail);
        Assert.Contains("backend iptables: unavailable (libip6tc.so.2 not found", VersionCommand.Text(BuildIdentity.Current, backends), StringComparison.Ordinal);
    }

    [Fact]
    public void A_kernel_without_legacy_tables_says_which_modules_to_load()
    {
        var iptables = Assert.Single(BackendAvailability.Probe(_ => true, legacyTables: false), b => b.Name == "iptables");

        Assert.False(iptables.Available);
        Assert.Equal("the kernel has no legacy ip_tables (modprobe ip_tables ip6_tables)", iptables.Detail);
    }

    [Fact]
    public async Task An_unknown_output_format_is_refused_with_exit_2_naming_it()
    {
        var run = await MnpCli.RunAsync("version", "-o", "yaml");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.StartsWith("mnp: Argument 'yaml' not recognized", run.ErrorLines[0], StringComparison.Ordinal);
    }
}
