using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Mnp.Agent.Sources;
using Mnp.Agent.Sources.Kubernetes;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Spec;
using Mnp.Tests.Support.Agent;

namespace Mnp.Tests.Unit.Agent.Sources;

/// <summary>
/// The Kubernetes source against a real list/watch server on loopback: the cache it feeds converges after each fault
/// (dropped watch, 410 Gone, an outage with 503s, slow lists), and nothing is removed while the API is unreachable.
/// </summary>
public sealed class KubernetesSourceTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<ObjectKey, object?> _cache = new();
    private readonly ConcurrentQueue<ClusterChange> _changes = new();
    private readonly CancellationTokenSource _stop = new();
    private FakeKubeApiServer _api = null!;
    private KubeApiClient? _client;
    private KubernetesSource? _source;
    private Task _pump = Task.CompletedTask;

    private int Removals => _changes.Count(c => c.Kind == ClusterChangeKind.Remove);

    private int ListedKinds => _changes.Count(c => c.Kind == ClusterChangeKind.Listed);

    public async Task InitializeAsync()
    {
        _api = await FakeKubeApiServer.StartAsync();
        _api.Upsert(KubeObjects.Namespace("x"));
        _api.Upsert(KubeObjects.Network("x", "net1"));
        for (var i = 1; i <= 5; i++)
        {
            _api.Upsert(KubeObjects.Pod("x", $"p{i}", "node-1", "x/net1", $"10.0.0.{i}", ("app", $"a{i}")));
        }

        _api.Upsert(KubeObjects.IngressPolicy("x", "pol", "x/net1", ("app", "a1"), ("app", "a2")));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        _client?.Dispose();
        _stop.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Lists_every_kind_in_pages_then_follows_adds_changes_and_deletes()
    {
        await StartAsync();
        Assert.Equal(5, Pods().Count);
        Assert.Contains(_cache.Values, v => v is PolicyInfo { Name: "pol" });
        Assert.Contains(_cache.Values, v => v is NetworkAttachmentInfo { PluginType: "macvlan" });

        _api.Upsert(KubeObjects.Pod("x", "p6", "node-2", "x/net1", "10.0.0.6", ("app", "a6")));
        _api.Upsert(KubeObjects.Pod("x", "p1", "node-1", "x/net1", "10.0.0.1", ("app", "changed")));
        _api.Delete("Pod", "x", "p2");

        await Eventually.TrueAsync(() => Pods().Count == 5 && Label("p1") == "changed" && Pods().ContainsKey("p6") && !Pods().ContainsKey("p2"), "watch events applied");
    }

    [Fact]
    public async Task A_dropped_watch_resumes_from_the_last_version_without_listing_again()
    {
        await StartAsync();
        var lists = _api.ListRequests;

        _api.DropWatches();
        _api.Upsert(KubeObjects.Pod("x", "p3", "node-1", "x/net1", "10.0.0.3", ("app", "after-drop")));

        await Eventually.TrueAsync(() => Label("p3") == "after-drop", "change after the drop seen");
        Assert.Equal(lists, _api.ListRequests);
        Assert.Equal(0, Removals);
    }

    [Fact]
    public async Task After_410_Gone_it_lists_again_and_reports_what_vanished_meanwhile()
    {
        await StartAsync();
        _api.Bookmark();
        var lists = _api.ListRequests;

        _api.SetUnavailable(true);
        _api.Delete("Pod", "x", "p4");
        _api.Upsert(KubeObjects.Pod("x", "p7", "node-1", "x/net1", "10.0.0.7", ("app", "a7")));
        _api.Expire();
        _api.SetUnavailable(false);

        await Eventually.TrueAsync(() => !Pods().ContainsKey("p4") && Pods().ContainsKey("p7"), "relist converged");
        Assert.True(_api.ListRequests > lists);
        Assert.Single(_changes, c => c.Kind == ClusterChangeKind.Remove && c.Key.Name == "p4");
    }

    [Fact]
    public async Task An_outage_keeps_the_cache_and_the_end_of_it_is_noticed_within_seconds()
    {
        await StartAsync();
        var before = _cache.Count;

        _api.SetUnavailable(true);
        await Task.Delay(2500);
        Assert.Equal(before, _cache.Count);
        Assert.Equal(0, Removals);

        _api.Upsert(KubeObjects.Pod("x", "p5", "node-1", "x/net1", "10.0.0.5", ("app", "after-outage")));
        _api.SetUnavailable(false);

        await Eventually.TrueAsync(() => Label("p5") == "after-outage", "change after the outage seen", timeoutMs: 8000);
        Assert.Equal(0, Removals);
    }

    [Fact]
    public async Task A_slow_list_still_completes_and_readiness_waits_for_it()
    {
        _api.ListDelay = TimeSpan.FromMilliseconds(700);
        Start();

        await Task.Delay(400);
        Assert.Equal(0, ListedKinds);
        await Eventually.TrueAsync(() => ListedKinds == 4, "every kind listed");
        Assert.Equal(5, Pods().Count);
    }

    [Fact]
    public async Task Policies_are_watched_at_v1beta2_when_discovery_serves_it()
    {
        _api.ServeV1Beta2 = true;
        _api.Upsert(KubeObjects.IngressPolicy("x", "pol2", "x/net1", ("app", "a3"), ("app", "a2"), version: "v1beta2"));
        await StartAsync();

        Assert.Contains(_cache.Values, v => v is PolicyInfo { Name: "pol2" });
        Assert.DoesNotContain(_cache.Values, v => v is PolicyInfo { Name: "pol" }); // served at v1beta1 only in this fake
    }

    [Fact]
    public async Task An_object_that_does_not_deserialise_is_a_problem_and_the_rest_keeps_flowing()
    {
        var bad = KubeObjects.Pod("x", "bad", "node-1", "x/net1", "10.0.0.50");
        bad["spec"]!["containers"] = "not-a-list";
        _api.Upsert(bad);
        await StartAsync();

        var change = Assert.Single(_changes, c => c.Key.Name == "bad");
        Assert.Null(change.Value);
        Assert.Contains(change.Problems, p => p.Message.Contains("does not deserialise", StringComparison.Ordinal));
        Assert.Equal(5, Pods().Count);
    }

    private async Task StartAsync()
    {
        Start();
        await Eventually.TrueAsync(() => ListedKinds == 4, "every kind listed");
    }

    private void Start()
    {
        var config = Mnp.Agent.Sources.Kubernetes.KubeApiClient.LoadConfiguration(_api.Kubeconfig, null);
        _client = new KubeApiClient(config);
        _source = new KubernetesSource(_client, TimeProvider.System, NullLoggerFactory.Instance);
        _pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in _source.WatchAsync(_stop.Token))
                {
                    _changes.Enqueue(change);
                    if (change.Kind == ClusterChangeKind.Remove)
                    {
                        _cache.TryRemove(change.Key, out _);
                    }
                    else if (change.Kind == ClusterChangeKind.Upsert)
                    {
                        _cache[change.Key] = change.Value;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        });
    }

    private Dictionary<string, PodInfo> Pods() => _cache.Values.OfType<PodInfo>().ToDictionary(p => p.Name);

    private string? Label(string pod) => Pods().TryGetValue(pod, out var p) && p.Labels.TryGetValue("app", out var v) ? v : null;
}
