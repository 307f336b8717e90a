using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mnp.Agent.Host;
using Mnp.Agent.Sources;
using Mnp.Policy.Input;
using Mnp.Tests.Support.Agent;
using Mnp.Tests.Unit.Agent.Sync;

namespace Mnp.Tests.Unit.Agent.Host;

/// <summary>The assembled host over a watched manifests folder and a fake backend: endpoints, readiness, metrics names, folder changes.</summary>
public sealed class AgentHostTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mnp-agent-manifests-").FullName;
    private readonly FakePodSyncer _backend = new();
    private readonly HttpClient _http = new();
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        WriteCluster(("app", "a"));
        var options = new AgentOptions
        {
            Source = SourceChoice.Files,
            ManifestsDirectory = _folder,
            NodeName = "node-1",
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            PollInterval = TimeSpan.FromMilliseconds(50),
        };
        var parts = new AgentParts(
            logs => new ManifestDirectorySource(_folder, options.PollInterval, TimeProvider.System, logs.CreateLogger<ManifestDirectorySource>()),
            SnapshotInputOptions.Manifests, _backend, "files", "fake");
        _app = AgentHost.Build(options, parts);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http.BaseAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Becomes_ready_after_the_first_sync_and_serves_health_and_the_fixed_metric_names()
    {
        await Eventually.TrueAsync(() => Status("/readyz") == 200, "ready");
        Assert.Equal(200, Status("/healthz"));
        Assert.Equal(["x/a", "x/b"], _backend.Written);

        var metrics = await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        foreach (var name in new[] { "mnp_sync_duration_seconds", "mnp_network_programming_duration_seconds", "mnp_pod_apply_duration_seconds",
            "mnp_pending_pod_syncs", "mnp_managed_pods 2", "mnp_policies{state=\"applied\"} 1", "mnp_build_info{" })
        {
            Assert.True(metrics.Contains(name, StringComparison.Ordinal), $"{name} missing from:\n{metrics}");
        }

        Assert.DoesNotContain("pod=\"", metrics, StringComparison.Ordinal);

        // One sample per backend transaction, labelled with its family.
        var applies = metrics.Split('\n').Where(l => l.StartsWith("mnp_pod_apply_duration_seconds_count", StringComparison.Ordinal)).ToList();
        Assert.Contains(applies, l => l.Contains("family=\"ipv4\"", StringComparison.Ordinal));
        Assert.Contains(applies, l => l.Contains("family=\"ipv6\"", StringComparison.Ordinal));
        Assert.DoesNotContain(applies, l => l.Contains("family=\"all\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_file_reprograms_only_the_affected_pod()
    {
        await Eventually.TrueAsync(() => Status("/readyz") == 200, "ready");
        _backend.Clear();

        WriteCluster(("app", "b")); // the policy now selects x/b instead of x/a

        await Eventually.TrueAsync(() => _backend.Calls.Count >= 2, "both old and new targets written");
        await Task.Delay(300);
        Assert.Equal(["x/a", "x/b"], _backend.Written);
    }

    private int Status(string path)
    {
        using var response = _http.GetAsync(new Uri(path, UriKind.Relative)).GetAwaiter().GetResult();
        return (int)response.StatusCode;
    }

    private void WriteCluster((string Key, string Value) target)
    {
        File.WriteAllText(Path.Combine(_folder, "cluster.yaml"), $$$"""
            apiVersion: k8s.cni.cncf.io/v1
            kind: NetworkAttachmentDefinition
            metadata: {name: net1, namespace: x}
            spec: {config: '{"cniVersion":"0.3.1","type":"macvlan"}'}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: a
              namespace: x
              labels: {app: a}
              annotations: {k8s.v1.cni.cncf.io/network-status: '[{"name":"x/net1","interface":"net1","ips":["10.0.0.1"]}]'}
            spec: {nodeName: node-1, containers: [{name: c, image: i}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: b
              namespace: x
              labels: {app: b}
              annotations: {k8s.v1.cni.cncf.io/network-status: '[{"name":"x/net1","interface":"net1","ips":["10.0.0.2"]}]'}
            spec: {nodeName: node-1, containers: [{name: c, image: i}]}
            ---
            apiVersion: k8s.cni.cncf.io/v1beta1
            kind: MultiNetworkPolicy
            metadata:
              name: p
              namespace: x
              annotations: {k8s.v1.cni.cncf.io/policy-for: x/net1}
            spec:
              podSelector:
                matchLabels:
                  {{{target.Key}}}: {{{target.Value}}}
              policyTypes: [Ingress]
              ingress: []
            """);
    }
}
