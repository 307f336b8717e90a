using Mnp.Agent.Cri;
using Mnp.Agent.Reconcile;
using Mnp.Policy.Cluster;

namespace Mnp.Tests.Unit.Agent.Cri;

/// <summary>The CRI resolver against a fake runtime on a Unix socket, with both runtimes' verbose info shapes, under a host prefix.</summary>
public sealed class CriNetnsResolverTests : IAsyncLifetime
{
    private const string Uid = "0b4c7e1a-uid";
    private static readonly PodInfo Pod = new("x", "a", Uid, ImmutableDictionary<string, string>.Empty, "Running", false, "node-1", [], [], []);

    private readonly string _host = Directory.CreateTempSubdirectory("mnp-host-").FullName;
    private FakeCriRuntime _runtime = null!;
    private CriNetnsResolver _resolver = null!;

    public async Task InitializeAsync()
    {
        _runtime = await FakeCriRuntime.StartAsync();
        _resolver = new CriNetnsResolver(_runtime.Socket, _host);
    }

    public async Task DisposeAsync()
    {
        _resolver.Dispose();
        await _runtime.DisposeAsync();
        Directory.Delete(_host, recursive: true);
    }

    [Fact]
    public async Task Containerd_sandbox_info_gives_the_runtime_spec_network_path_under_the_host_prefix()
    {
        HostFile("var/run/netns/cni-1111");
        _runtime.AddSandbox("sb1", Uid, 1, """
            {"pid":4242,"processStatus":"running","netNamespaceClosed":false,"image":"pause","runtimeHandler":"","runtimeType":"io.containerd.runc.v2",
             "runtimeSpec":{"ociVersion":"1.1.0","linux":{"namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"network","path":"/var/run/netns/cni-1111"}]}},
             "cniResult":{}}
            """);

        var netns = await _resolver.ResolveAsync(Pod, CancellationToken.None);

        Assert.Equal(Path.Combine(_host, "var/run/netns/cni-1111"), netns.Path);
    }

    [Fact]
    public async Task CriO_info_without_a_pid_dropped_infra_container_gives_the_spec_path()
    {
        HostFile("var/run/netns/4a1b-crio");
        _runtime.AddSandbox("sb1", Uid, 1, """
            {"image":"","runtimeSpec":{"linux":{"namespaces":[{"type":"network","path":"/var/run/netns/4a1b-crio"},{"type":"uts"}]}}}
            """);

        var netns = await _resolver.ResolveAsync(Pod, CancellationToken.None);

        Assert.Equal(Path.Combine(_host, "var/run/netns/4a1b-crio"), netns.Path);
    }

    [Fact]
    public async Task Without_a_path_the_sandbox_pid_gives_proc_pid_ns_net()
    {
        HostFile("proc/31337/ns/net");
        _runtime.AddSandbox("sb1", Uid, 1, """{"pid":31337,"runtimeSpec":{"linux":{"namespaces":[{"type":"network"}]}}}""");

        var netns = await _resolver.ResolveAsync(Pod, CancellationToken.None);

        Assert.Equal(Path.Combine(_host, "proc/31337/ns/net"), netns.Path);
    }

    [Fact]
    public async Task Neither_path_nor_pid_is_a_resolution_failure_naming_the_pod()
    {
        _runtime.AddSandbox("sb1", Uid, 1, """{"runtimeSpec":{"linux":{"namespaces":[{"type":"network"}]}}}""");

        var error = await Assert.ThrowsAsync<NetnsResolutionException>(() => _resolver.ResolveAsync(Pod, CancellationToken.None).AsTask());

        Assert.Contains("x/a", error.Message, StringComparison.Ordinal);
        Assert.Contains("no network namespace path and no pid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_that_is_not_mounted_under_the_host_prefix_is_a_failure_with_the_hint()
    {
        _runtime.AddSandbox("sb1", Uid, 1, """{"pid":0,"runtimeSpec":{"linux":{"namespaces":[{"type":"network","path":"/var/run/netns/missing"}]}}}""");

        var error = await Assert.ThrowsAsync<NetnsResolutionException>(() => _resolver.ResolveAsync(Pod, CancellationToken.None).AsTask());

        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("HostToContainer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_without_a_ready_sandbox_yet_is_a_failure()
    {
        _runtime.AddSandbox("sb0", Uid, 1, "{}", Mnp.Agent.Cri.V1.PodSandboxState.SandboxNotready);

        var error = await Assert.ThrowsAsync<NetnsResolutionException>(() => _resolver.ResolveAsync(Pod, CancellationToken.None).AsTask());

        Assert.Contains("no ready sandbox", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_answer_is_cached_per_sandbox_and_read_again_when_the_sandbox_changes()
    {
        HostFile("var/run/netns/old");
        HostFile("var/run/netns/new");
        _runtime.AddSandbox("sb1", Uid, 1, """{"runtimeSpec":{"linux":{"namespaces":[{"type":"network","path":"/var/run/netns/old"}]}}}""");
        var first = await _resolver.ResolveAsync(Pod, CancellationToken.None);
        var again = await _resolver.ResolveAsync(Pod, CancellationToken.None);
        Assert.Equal(first, again);
        Assert.Equal(1, _runtime.StatusCalls);

        // The pod's sandbox is recreated (e.g. after a node reboot): a newer ready sandbox with a new namespace.
        _runtime.RemoveSandbox("sb1");
        _runtime.AddSandbox("sb2", Uid, 2, """{"runtimeSpec":{"linux":{"namespaces":[{"type":"network","path":"/var/run/netns/new"}]}}}""");
        var changed = await _resolver.ResolveAsync(Pod, CancellationToken.None);

        Assert.Equal(Path.Combine(_host, "var/run/netns/new"), changed.Path);
        Assert.Equal(2, _runtime.StatusCalls);
    }

    [Fact]
    public async Task An_unreachable_runtime_is_a_resolution_failure_not_a_crash()
    {
        using var nowhere = new CriNetnsResolver(Path.Combine(_host, "no.sock"), _host);

        var error = await Assert.ThrowsAsync<NetnsResolutionException>(() => nowhere.ResolveAsync(Pod, CancellationToken.None).AsTask());

        Assert.Contains("CRI", error.Message, StringComparison.Ordinal);
    }

    private void HostFile(string relative)
    {
        var path = Path.Combine(_host, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Empty);
    }
}
