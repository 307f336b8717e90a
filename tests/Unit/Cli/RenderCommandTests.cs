using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Cli;

public sealed class RenderCommandTests
{
    [Fact]
    public async Task Renders_each_managed_pod_with_header_and_save_text_per_family()
    {
        var run = await MnpCli.RunAsync("render", "-f", MnpCli.Fixture("two-pods.yaml"), "--family", "ipv4");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            """
            # pod x/a
            # ipv4
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :MNP-IN-net1 - [0:0]
            -A INPUT -i net1 -j MNP-IN-net1
            -A MNP-IN-net1 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A MNP-IN-net1 -s 10.9.0.2/32 -p tcp -m tcp --dport 80 -m comment --comment "x/allow-b ingress[0]" -j ACCEPT
            -A MNP-IN-net1 -j DROP
            COMMIT
            # pod x/b
            # ipv4
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            COMMIT

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            run.Output);
    }

    [Fact]
    public async Task Backend_nftables_prints_the_inet_table_per_pod_as_nft_lists_it()
    {
        var run = await MnpCli.RunAsync("render", "-f", MnpCli.Fixture("two-pods.yaml"), "--backend", "nftables");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("# pod x/a\ntable inet mnp {\n\tcomment \"mnp/v1\"\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("\t\tip saddr 10.9.0.2 tcp dport 80 accept comment \"x/allow-b ingress[0]\"\n", run.Output, StringComparison.Ordinal);
        Assert.EndsWith("# pod x/b\n# no governed interface: no table of ours\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_backend_is_refused()
    {
        var run = await MnpCli.RunAsync("render", "-f", MnpCli.Fixture("two-pods.yaml"), "--backend", "ebtables");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("ebtables", string.Join('\n', run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_parts_are_reported_on_stderr_one_line_each_and_the_rest_still_renders()
    {
        var run = await MnpCli.RunAsync("render", "-f", MnpCli.Fixture("two-pods.yaml"));

        Assert.Equal(0, run.ExitCode);
        var problem = Assert.Single(run.ErrorLines);
        Assert.StartsWith("mnp: invalid: MultiNetworkPolicy x/allow-b: spec.ingress[0].ports[1].port:", problem, StringComparison.Ordinal);
        Assert.Contains("# ipv6", run.Output, StringComparison.Ordinal);
        Assert.Contains("-A MNP-IN-net1 -j DROP", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_is_byte_identical_across_runs()
    {
        var first = await MnpCli.RunAsync("render", "-f", MnpCli.Fixture("two-pods.yaml"));
        var second = await MnpCli.RunAsync("render", "-f", MnpCli.Fixture("two-pods.yaml"));

        Assert.Equal(first.Output, second.Output);
        Assert.NotEmpty(first.Output);
    }

    [Fact]
    public async Task Selecting_an_unknown_pod_is_a_one_line_error()
    {
        var run = await MnpCli.RunAsync("render", "-f", MnpCli.Fixture("two-pods.yaml"), "--pod", "x/nope");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("mnp: --pod x/nope: no such pod in the manifests", run.ErrorLines[^1]);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_missing_manifest_path_is_a_one_line_error()
    {
        var run = await MnpCli.RunAsync("render", "-f", "/nonexistent/mnp");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["mnp: /nonexistent/mnp: no such file or directory"], run.ErrorLines);
    }

    [Fact]
    public async Task A_missing_required_option_is_a_one_line_error()
    {
        var run = await MnpCli.RunAsync("render");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("--filename", run.Error, StringComparison.Ordinal);
    }
}
