using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Cli;

/// <summary>Issue 7 item 10 through the real executable: every bad argument or object is one line naming it, never a guess.</summary>
public sealed class StrictArgumentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mnp-strict-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("10.9.2")]
    [InlineData("010.9.0.2")]
    [InlineData("[::1]")]
    [InlineData("fe80::1%lo")]
    public async Task Trace_reads_only_strict_addresses(string from)
    {
        var run = await MnpCli.RunAsync("trace", "-f", MnpCli.Fixture("two-pods.yaml"), "--from", from, "--to", "x/a", "--port", "80");

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Equal($"mnp: endpoint \"{from}\": expected NAMESPACE/POD or an IP address (dotted-quad IPv4 or IPv6)", run.ErrorLines[^1]);
    }

    [Fact]
    public async Task An_unknown_flag_after_files_is_an_unknown_option_not_a_missing_file()
    {
        var run = await MnpCli.RunAsync("render", "-f", MnpCli.Fixture("two-pods.yaml"), "--unknown-flag");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--unknown-flag: unknown option", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("no such file", run.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Matrix_on_an_unknown_network_errors_like_trace()
    {
        var run = await MnpCli.RunAsync("matrix", "-f", MnpCli.Fixture("two-pods.yaml"), "--network", "x/nope");

        Assert.Equal(1, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Equal("mnp: --network: no NetworkAttachmentDefinition and no pod interface is on network x/nope", run.ErrorLines[^1]);
    }

    [Fact]
    public async Task A_numeric_namespace_is_not_the_default_one()
    {
        var file = Write("ns.yaml", """
            apiVersion: k8s.cni.cncf.io/v1beta1
            kind: MultiNetworkPolicy
            metadata: {name: p, namespace: 5}
            spec: {podSelector: {}}
            """);

        var run = await MnpCli.RunAsync("render", "-f", file);

        var line = Assert.Single(run.ErrorLines);
        Assert.Equal($"mnp: warning: {file}:1: skipped MultiNetworkPolicy p: metadata.namespace must be a string, not \"5\"", line);
        Assert.DoesNotContain("default/p", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_json_keys_name_the_file_and_the_key()
    {
        var file = Write("dup.json", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x","name":"y"}}""");

        var run = await MnpCli.RunAsync("render", "-f", file);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"mnp: {file}:", line, StringComparison.Ordinal);
        Assert.Contains("'name'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_megabyte_label_value_is_not_echoed_whole()
    {
        var file = Write("big.yaml", $$"""
            apiVersion: k8s.cni.cncf.io/v1beta1
            kind: MultiNetworkPolicy
            metadata:
              name: p
              namespace: x
              annotations:
                k8s.v1.cni.cncf.io/policy-for: net1
            spec:
              podSelector:
                matchLabels:
                  k: "{{new string('v', 1_000_000)}}"
            """);

        var run = await MnpCli.RunAsync("render", "-f", file);

        var line = Assert.Single(run.ErrorLines, l => l.Contains("matchLabels[k]", StringComparison.Ordinal));
        Assert.True(line.Length < 300, line[..Math.Min(line.Length, 1000)]);
        Assert.Contains("(1000000 characters)", line, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
