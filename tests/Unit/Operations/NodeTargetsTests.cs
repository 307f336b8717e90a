using Mnp.Agent.Cri;
using Mnp.Agent.Operations;
using Mnp.Agent.Reconcile;
using Mnp.Tests.Unit.Agent.Cri;

namespace Mnp.Tests.Unit.Operations;

/// <summary>The node's pods for inspect and cleanup through CRI: ready sandboxes only, the newest per pod, never a namespace that is the host's.</summary>
public sealed class NodeTargetsTests : IAsyncLifetime
{
    private readonly string _host = Directory.CreateTempSubdirectory("mnp-host-").FullName;
    private FakeCriRuntime _runtime = null!;
    private CriNetnsResolver _cri = null!;

    public async Task InitializeAsync()
    {
        _runtime = await FakeCriRuntime.StartAsync();
        _cri = new CriNetnsResolver(_runtime.Socket, _host);
    }

    public async Task DisposeAsync()
    {
        _cri.Dispose();
        await _runtime.DisposeAsync();
        Directory.Delete(_host, recursive: true);
    }

    [Fact]
    public async Task Every_ready_pod_but_the_host_network_one_with_its_newest_sandbox_and_unresolvable_ones_reported()
    {
        Directory.CreateDirectory(Path.Combine(_host, "run/netns"));
        foreach (var name in new[] { "old", "new", "b" })
        {
            await File.WriteAllTextAsync(Path.Combine(_host, "run/netns", name), string.Empty);
        }

        _runtime.AddSandbox("s-old", "uid-a", 1, Spec("/run/netns/old"), pod: "x/a");
        _runtime.AddSandbox("s-new", "uid-a", 2, Spec("/run/netns/new"), pod: "x/a");
        _runtime.AddSandbox("s-b", "uid-b", 1, Spec("/run/netns/b"), pod: "y/b");
        _runtime.AddSandbox("s-gone", "uid-c", 1, Spec("/run/netns/gone"), pod: "y/c");
        _runtime.AddSandbox("s-stopped", "uid-d", 1, Spec("/run/netns/b"), Mnp.Agent.Cri.V1.PodSandboxState.SandboxNotready, pod: "y/d");

        // A hostNetwork pod's sandbox names the host's namespace; here: this very process's, with no prefix.
        using var hostCri = new CriNetnsResolver(_runtime.Socket, string.Empty);
        _runtime.AddSandbox("s-host", "uid-h", 1, $$"""{"pid":{{Environment.ProcessId}}}""", pod: "kube-system/host");

        var (targets, problems) = await NodeTargets.ListAsync(_cri, _host, [], CancellationToken.None);
        var (hostTargets, _) = await NodeTargets.ListAsync(hostCri, string.Empty, [], CancellationToken.None);

        Assert.Equal([("x/a", Path.Combine(_host, "run/netns/new")), ("y/b", Path.Combine(_host, "run/netns/b"))], targets.Select(t => (t.Pod, t.Netns.Path)));
        Assert.Contains(problems, p => p.StartsWith("pod y/c: sandbox s-gone: network namespace", StringComparison.Ordinal));
        Assert.DoesNotContain(hostTargets, t => t.Pod == "kube-system/host");
        var refused = await Assert.ThrowsAsync<NetnsResolutionException>(() => NodeTargets.ListAsync(hostCri, string.Empty, ["kube-system/host"], CancellationToken.None));
        Assert.Equal("pod kube-system/host: uses the host's network namespace (hostNetwork): nothing of ours is there", refused.Message);
        var missing = await Assert.ThrowsAsync<NetnsResolutionException>(() => NodeTargets.ListAsync(_cri, _host, ["x/nope"], CancellationToken.None));
        Assert.StartsWith("pod x/nope: no ready sandbox on this node in CRI", missing.Message, StringComparison.Ordinal);
    }

    private static string Spec(string path) => """{"runtimeSpec":{"linux":{"namespaces":[{"type":"network","path":""" + $"\"{path}\"" + "}]}}}";
}
