using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Mnp.Tests.Support.Agent;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Cli;

/// <summary>
/// render, trace and matrix without -f read a live cluster through the kubeconfig (here the in-process API server),
/// with kubectl's -n, -A and --context; the same executable runs as the kubectl plugin <c>kubectl mnp</c>.
/// </summary>
public sealed class LiveClusterVerbTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mnp-live-").FullName;
    private FakeKubeApiServer _api = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubeApiServer.StartAsync();
        _kubeconfig = _api.WriteKubeconfig(Path.Combine(_dir, "config"));
        // A second context on the same server whose namespace is y.
        await File.AppendAllTextAsync(_kubeconfig, string.Empty);
        var text = await File.ReadAllTextAsync(_kubeconfig);
        await File.WriteAllTextAsync(_kubeconfig, text.Replace(
            "contexts: [{name: fake, context: {cluster: fake, user: fake}}]",
            "contexts: [{name: fake, context: {cluster: fake, user: fake}}, {name: in-y, context: {cluster: fake, user: fake, namespace: y}}]",
            StringComparison.Ordinal));
        foreach (var ns in new[] { "default", "x", "y" })
        {
            _api.Upsert(KubeObjects.Namespace(ns));
            _api.Upsert(KubeObjects.Network(ns, "net1"));
        }

        _api.Upsert(KubeObjects.Pod("x", "a", "node-1", "x/net1", "10.1.0.1", ("app", "a")));
        _api.Upsert(KubeObjects.Pod("x", "b", "node-1", "x/net1", "10.1.0.2", ("app", "b")));
        _api.Upsert(KubeObjects.Pod("y", "c", "node-1", "y/net1", "10.2.0.1", ("app", "c")));
        _api.Upsert(KubeObjects.Pod("y", "d", "node-1", "y/net1", "10.2.0.2", ("app", "d")));
        _api.Upsert(KubeObjects.IngressPolicy("x", "a-from-b", "x/net1", ("app", "a"), ("app", "b")));
        _api.Upsert(KubeObjects.IngressPolicy("y", "c-from-nobody", "y/net1", ("app", "c"), ("app", "nobody")));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Render_reads_the_cluster_and_shows_the_namespace_asked_for()
    {
        var inX = await MnpCli.RunAsync("render", "--kubeconfig", _kubeconfig, "-n", "x");
        var all = await MnpCli.RunAsync("render", "--kubeconfig", _kubeconfig, "-A");
        var byContext = await MnpCli.RunAsync("render", "--kubeconfig", _kubeconfig, "--context", "in-y");
        var byDefault = await MnpCli.RunAsync("render", "--kubeconfig", _kubeconfig);

        Assert.True(inX.ExitCode == 0, inX.Error);
        Assert.Equal(["x/a", "x/b"], PodHeaders(inX.Output));
        Assert.Contains("10.1.0.2/32", inX.Output, StringComparison.Ordinal);
        Assert.Equal(["x/a", "x/b", "y/c", "y/d"], PodHeaders(all.Output));
        Assert.Equal(["y/c", "y/d"], PodHeaders(byContext.Output));
        Assert.Empty(PodHeaders(byDefault.Output)); // the context's namespace is "default": no pods there
        Assert.Equal(0, byDefault.ExitCode);
    }

    [Fact]
    public async Task Trace_takes_bare_pod_names_in_the_namespace_and_matrix_narrows_to_it()
    {
        var allowed = await MnpCli.RunAsync("trace", "--kubeconfig", _kubeconfig, "-n", "x", "--from", "b", "--to", "a", "--port", "80", "-o", "json");
        var denied = await MnpCli.RunAsync("trace", "--kubeconfig", _kubeconfig, "--context", "in-y", "--from", "d", "--to", "c", "--port", "80");
        var matrix = await MnpCli.RunAsync("matrix", "--kubeconfig", _kubeconfig, "-n", "y", "-o", "json");

        Assert.True(allowed.ExitCode == 0, allowed.Error);
        using (var json = JsonDocument.Parse(allowed.Output))
        {
            Assert.Equal("x/a-from-b", json.RootElement.GetProperty("ingress").GetProperty("allowedBy")[0].GetProperty("policy").GetString());
        }

        Assert.Equal(3, denied.ExitCode);
        using var flows = JsonDocument.Parse(matrix.Output);
        Assert.Equal(
            [("y/c", "y/d", true), ("y/d", "y/c", false)],
            flows.RootElement.GetProperty("flows").EnumerateArray()
                .Select(f => (f.GetProperty("from").GetString()!, f.GetProperty("to").GetString()!, f.GetProperty("verdict").GetString() == "allowed")).Order());
    }

    [Fact]
    public async Task Bad_combinations_and_an_unreachable_api_are_one_line()
    {
        var both = await MnpCli.RunAsync("render", "-f", _kubeconfig, "--kubeconfig", _kubeconfig);
        var nA = await MnpCli.RunAsync("render", "--kubeconfig", _kubeconfig, "-n", "x", "-A");
        var dead = Path.Combine(_dir, "dead");
        await File.WriteAllTextAsync(dead, (await File.ReadAllTextAsync(_kubeconfig)).Replace(_api.Address.ToString().TrimEnd('/'), "http://127.0.0.1:1", StringComparison.Ordinal));
        var unreachable = await MnpCli.RunAsync("matrix", "--kubeconfig", dead);

        Assert.Equal((2, "mnp: --kubeconfig reads a live cluster; -f reads files: give one of them"), (both.ExitCode, both.Error.TrimEnd()));
        Assert.Equal((2, "mnp: -n and -A exclude each other"), (nA.ExitCode, nA.Error.TrimEnd()));
        Assert.Equal(1, unreachable.ExitCode);
        Assert.StartsWith("mnp: API server http://127.0.0.1:1", Assert.Single(unreachable.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_runs_it_as_the_mnp_plugin()
    {
        var plugins = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(plugins, "kubectl-mnp"), Path.Combine(AppContext.BaseDirectory, "mnp"));

        var run = await CliWrap.Cli.Wrap("kubectl")
            .WithArguments(["mnp", "render", "--kubeconfig", _kubeconfig, "-n", "x"])
            .WithEnvironmentVariables(e => e.Set("PATH", $"{plugins}:{Environment.GetEnvironmentVariable("PATH")}"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(["x/a", "x/b"], PodHeaders(run.StandardOutput));
    }

    private static List<string> PodHeaders(string output) =>
        [.. output.Split('\n').Where(l => l.StartsWith("# pod ", StringComparison.Ordinal)).Select(l => l["# pod ".Length..])];
}
