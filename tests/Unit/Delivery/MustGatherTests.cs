using CliWrap;
using CliWrap.Buffered;

namespace Mnp.Tests.Unit.Delivery;

/// <summary>
/// must-gather/gather run against a fake <c>oc</c> / <c>kubectl</c> (a script on PATH that records each call
/// and answers like a cluster with two agent pods, one without a previous container, both with drift).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MustGatherTests : IDisposable
{
    private const string Stub = """
        #!/usr/bin/env bash
        printf '%s\n' "$(basename "$0") $*" >> "$CALLS"
        case "$*" in
          *"get pods"*jsonpath*) printf 'mnp-agent-a\nmnp-agent-b\n' ;;
          *"logs mnp-agent-b -c agent --previous") echo 'previous terminated container "agent" not found' >&2; exit 1 ;;
          *"mnp inspect --all --diff -o json") printf '{"pods": [], "from": "%s"}\n' "$4"; exit 4 ;;
          *) echo "output of: $*" ;;
        esac
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("mnp-gather-").FullName;

    private string Calls => Path.Combine(_dir, "calls");

    private string Output => Path.Combine(_dir, "must-gather", "mnp");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task With_oc_it_collects_objects_logs_events_and_each_agents_inspect_then_syncs()
    {
        var exit = await RunGatherAsync("oc");

        Assert.Equal(0, exit);
        var calls = File.ReadAllLines(Calls);
        Assert.Equal(
            [
                "oc adm inspect --dest-dir " + Path.Combine(_dir, "must-gather") + " multi-networkpolicies.k8s.cni.cncf.io network-attachment-definitions.k8s.cni.cncf.io -A",
                "oc get multi-networkpolicies.k8s.cni.cncf.io -A -o yaml",
                "oc get network-attachment-definitions.k8s.cni.cncf.io -A -o yaml",
                "oc -n mnp-system get daemonset mnp-agent -o yaml",
                "oc -n mnp-system get pods -l app.kubernetes.io/name=mnp-agent -o yaml",
                "oc -n mnp-system get pods -l app.kubernetes.io/name=mnp-agent -o wide",
                "oc get events -A --field-selector reportingComponent=mnp-agent -o yaml",
                "oc -n mnp-system get pods -l app.kubernetes.io/name=mnp-agent -o jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}",
                .. new[] { "mnp-agent-a", "mnp-agent-b" }.SelectMany(pod => new[]
                {
                    $"oc -n mnp-system logs {pod} -c agent",
                    $"oc -n mnp-system logs {pod} -c agent --previous",
                    $"oc -n mnp-system exec {pod} -c agent -- mnp inspect --all --diff -o json",
                    $"oc -n mnp-system exec {pod} -c agent -- mnp version -o json",
                }),
                "sync ",
            ],
            calls);
        AssertCollected("oc");
    }

    [Fact]
    public async Task Without_oc_it_uses_kubectl_and_collects_the_same()
    {
        var exit = await RunGatherAsync("kubectl");

        Assert.Equal(0, exit);
        var calls = File.ReadAllLines(Calls);
        Assert.All(calls[..^1], c => Assert.StartsWith("kubectl ", c, StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.Contains(" adm inspect", StringComparison.Ordinal));
        Assert.Equal("sync ", calls[^1]);
        AssertCollected("kubectl");
    }

    private void AssertCollected(string cli)
    {
        Assert.Equal($"output of: get multi-networkpolicies.k8s.cni.cncf.io -A -o yaml\n", Read("multi-networkpolicies.yaml"));
        Assert.Equal($"output of: get network-attachment-definitions.k8s.cni.cncf.io -A -o yaml\n", Read("network-attachment-definitions.yaml"));
        Assert.Equal($"output of: -n mnp-system get daemonset mnp-agent -o yaml\n", Read("daemonset.yaml"));
        Assert.Equal($"output of: get events -A --field-selector reportingComponent=mnp-agent -o yaml\n", Read("events.yaml"));
        Assert.Equal("output of: -n mnp-system logs mnp-agent-a -c agent\n", Read("pods/mnp-agent-a/agent.log"));
        Assert.Equal("output of: -n mnp-system logs mnp-agent-a -c agent --previous\n", Read("pods/mnp-agent-a/agent.previous.log"));
        Assert.Equal("", Read("pods/mnp-agent-b/agent.previous.log"));
        Assert.Equal("{\"pods\": [], \"from\": \"mnp-agent-b\"}\n", Read("pods/mnp-agent-b/inspect.json"));
        Assert.Equal("output of: -n mnp-system exec mnp-agent-a -c agent -- mnp version -o json\n", Read("pods/mnp-agent-a/version.json"));
        var log = Read("gather.log");
        Assert.Contains($"gather: exit 1: {cli} -n mnp-system logs mnp-agent-b -c agent --previous\n", log, StringComparison.Ordinal);
        Assert.Contains("previous terminated container \"agent\" not found\n", log, StringComparison.Ordinal);
        Assert.Contains($"gather: exit 4: {cli} -n mnp-system exec mnp-agent-a -c agent -- mnp inspect --all --diff -o json\n", log, StringComparison.Ordinal);
    }

    private string Read(string relative) => File.ReadAllText(Path.Combine(Output, relative));

    private async Task<int> RunGatherAsync(string cli)
    {
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        foreach (var name in new[] { cli, "sync" })
        {
            var path = Path.Combine(bin, name);
            await File.WriteAllTextAsync(path, Stub.Replace("\r", "", StringComparison.Ordinal) + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var result = await CliWrap.Cli.Wrap("bash")
            .WithArguments([RepositoryPaths.Combine("must-gather", "gather")])
            .WithEnvironmentVariables(env => env
                .Set("PATH", $"{bin}:/usr/local/bin:/usr/bin:/bin")
                .Set("CALLS", Calls)
                .Set("BASE_COLLECTION_PATH", Path.Combine(_dir, "must-gather")))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.True(result.StandardError.Length == 0, result.StandardError);
        return result.ExitCode;
    }
}
