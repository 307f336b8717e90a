using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mnp.Agent.Observability;
using Mnp.Agent.Sources;
using Mnp.Agent.Sync;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Tests.Support;

namespace Mnp.Tests.Unit.Agent.Sync;

/// <summary>
/// The incremental sync over a fake backend: each kind of change reprograms exactly the local pods whose rules it
/// changes; a no-op writes nothing; failures retry with backoff; the periodic full pass hands every pod to the backend.
/// Cluster: namespaces x (team=x) and y (team=y), network x/net1; local pods x/a, x/b, x/c; a remote client x/r.
/// </summary>
public sealed class SyncEngineTests : IDisposable
{
    private const string Node = "node-1";
    private static readonly string[] AllLocal = ["x/a", "x/b", "x/c"];

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakePodSyncer _backend = new();
    private readonly AgentMetrics _metrics = new();
    private readonly SyncEngine _engine;

    public SyncEngineTests()
    {
        _engine = new SyncEngine(Kinds, SnapshotInputOptions.Cluster, Node, Mnp.Policy.Rules.PolicyOptions.Default, _backend, _time, _metrics,
            NullLogger.Instance, new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), new Random(1)));
    }

    private static string[] Kinds => [ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy];

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task Nothing_is_written_before_every_kind_is_listed()
    {
        Load(listAll: false);
        _engine.Apply(ClusterChange.Listed(ManifestKinds.Pod, _time.GetUtcNow()));

        var pass = await _engine.SyncAsync(full: true, CancellationToken.None);

        Assert.Same(SyncPass.Skipped, pass);
        Assert.Empty(_backend.Calls);
    }

    [Fact]
    public async Task First_pass_writes_every_local_pod_and_a_repeat_writes_nothing()
    {
        await StartAsync();

        var again = await _engine.SyncAsync(full: false, CancellationToken.None);

        Assert.Empty(again.Pods);
        Assert.Empty(_backend.Calls);
    }

    [Fact]
    public async Task A_remote_peer_losing_its_label_reprograms_only_the_pods_whose_policy_selected_it()
    {
        await StartAsync();

        Upsert(PodX("r", ("app", "other"), "10.0.0.9", node: "node-2"));
        await _engine.SyncAsync(full: false, CancellationToken.None);

        Assert.Equal(["x/a"], _backend.Written);
    }

    [Fact]
    public async Task A_peer_address_change_reprograms_the_pods_that_allow_it()
    {
        await StartAsync();

        Upsert(PodX("r", ("app", "client"), "10.0.0.99", node: "node-2"));
        await _engine.SyncAsync(full: false, CancellationToken.None);

        Assert.Equal(["x/a"], _backend.Written);
    }

    [Fact]
    public async Task A_new_policy_reprograms_only_its_targets_and_deleting_it_again_only_them()
    {
        await StartAsync();

        Upsert(Pol.Ingress("x", "p2", Sel.Labels(("app", "b")), Pol.Rule([Pol.Pods(Sel.Labels(("app", "client")))])));
        await _engine.SyncAsync(full: false, CancellationToken.None);
        Assert.Equal(["x/b"], _backend.Written);
        Assert.NotNull(_backend.Calls[0].Rules);

        _backend.Clear();
        Remove(new ObjectKey(ManifestKinds.MultiNetworkPolicy, "x", "p2"));
        await _engine.SyncAsync(full: false, CancellationToken.None);
        Assert.Equal(["x/b"], _backend.Written);
    }

    [Fact]
    public async Task Changing_a_policy_reprograms_its_old_and_new_targets()
    {
        await StartAsync();

        Upsert(Pol.Ingress("x", "p1", Sel.Labels(("app", "c")), Pol.Rule([Pol.Pods(Sel.Labels(("app", "client")))])));
        await _engine.SyncAsync(full: false, CancellationToken.None);

        Assert.Equal(["x/a", "x/c"], _backend.Written);
    }

    [Fact]
    public async Task A_namespace_label_change_reprograms_the_targets_of_policies_whose_namespace_selector_it_flips()
    {
        await StartAsync();
        Upsert(Pol.Ingress("x", "p3", Sel.Labels(("app", "c")), Pol.Rule([Pol.NsPods(Sel.Labels(("team", "y")), Sel.All)])));
        Upsert(PodIn("y", "q", ("app", "q"), "10.0.0.20", node: "node-2"));
        await _engine.SyncAsync(false, CancellationToken.None);
        _backend.Clear();

        Upsert(new NamespaceInfo("y", ImmutableDictionary<string, string>.Empty.Add("team", "gone")));
        await _engine.SyncAsync(false, CancellationToken.None);

        Assert.Equal(["x/c"], _backend.Written);
    }

    [Fact]
    public async Task A_local_pod_label_change_that_changes_no_rule_writes_nothing()
    {
        await StartAsync();

        Upsert(PodX("c", ("app", "c"), "10.0.0.3", extra: ("tier", "web")));
        var pass = await _engine.SyncAsync(false, CancellationToken.None);

        Assert.Empty(pass.Pods);
        Assert.Empty(_backend.Calls);
    }

    [Fact]
    public async Task A_local_pod_gaining_a_selected_label_is_reprogrammed()
    {
        await StartAsync();

        Upsert(PodX("b", ("app", "a"), "10.0.0.2"));
        await _engine.SyncAsync(false, CancellationToken.None);

        Assert.Equal(["x/b"], _backend.Written);
    }

    [Fact]
    public async Task A_deleted_pod_is_not_written_and_a_new_one_is()
    {
        await StartAsync();

        Remove(new ObjectKey(ManifestKinds.Pod, "x", "b"));
        Upsert(PodX("d", ("app", "a"), "10.0.0.4"));
        await _engine.SyncAsync(false, CancellationToken.None);

        Assert.Equal(["x/d"], _backend.Written);
    }

    [Fact]
    public async Task The_managed_chains_gauge_follows_the_committed_rules()
    {
        await StartAsync();
        Assert.Equal(2, GaugeReader.Read(_metrics.Meter, "managed_chains")); // x/a: MNP-IN-net1 in each family

        Upsert(Pol.Ingress("x", "p2", Sel.Labels(("app", "b")), Pol.Rule([Pol.Pods(Sel.Labels(("app", "client"))), Pol.Pods(Sel.Labels(("app", "c")))])));
        await _engine.SyncAsync(false, CancellationToken.None);
        Assert.Equal(2 + 3, GaugeReader.Read(_metrics.Meter, "managed_chains")); // x/b: two peers in v4 take a sub-chain

        Remove(new ObjectKey(ManifestKinds.Pod, "x", "a"));
        Remove(new ObjectKey(ManifestKinds.MultiNetworkPolicy, "x", "p2"));
        await _engine.SyncAsync(false, CancellationToken.None);
        Assert.Equal(0, GaugeReader.Read(_metrics.Meter, "managed_chains"));
    }

    [Fact]
    public async Task A_failed_pod_is_retried_with_backoff_and_alone()
    {
        Load();
        _backend.Failing.Add("x/a");
        var first = await _engine.SyncAsync(true, CancellationToken.None);
        Assert.Equal(1, first.Failures);
        Assert.Equal(["x/a"], _engine.FailingPods);
        var due = _engine.NextRetry!.Value;
        Assert.InRange(due - _time.GetUtcNow(), TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(1200));
        _backend.Clear();

        await _engine.SyncAsync(false, CancellationToken.None);
        Assert.Empty(_backend.Calls); // not due yet

        _time.Advance(TimeSpan.FromSeconds(1.5));
        await _engine.SyncAsync(false, CancellationToken.None);
        Assert.Equal(["x/a"], _backend.Written);
        Assert.InRange(_engine.NextRetry!.Value - _time.GetUtcNow(), TimeSpan.FromMilliseconds(1600), TimeSpan.FromMilliseconds(2400));

        _backend.Failing.Clear();
        _backend.Clear();
        _time.Advance(TimeSpan.FromSeconds(3));
        await _engine.SyncAsync(false, CancellationToken.None);
        Assert.Equal(["x/a"], _backend.Written);
        Assert.Empty(_engine.FailingPods);
        Assert.Null(_engine.NextRetry);
    }

    [Fact]
    public async Task The_full_resync_hands_every_local_pod_to_the_backend_so_drift_is_repaired()
    {
        await StartAsync();

        var pass = await _engine.SyncAsync(full: true, CancellationToken.None);

        Assert.Equal(AllLocal, _backend.Written);
        Assert.Equal(3, pass.Pods.Length);
    }

    [Fact]
    public async Task An_unreadable_object_removes_what_it_replaced_and_is_reported_without_stopping_the_others()
    {
        await StartAsync();

        _engine.Apply(new ClusterChange(ClusterChangeKind.Upsert, new ObjectKey(ManifestKinds.MultiNetworkPolicy, "x", "p1"), null,
            [new Problem(ManifestKinds.MultiNetworkPolicy, "x", "p1", "", "does not deserialise")], _time.GetUtcNow()));
        await _engine.SyncAsync(false, CancellationToken.None);

        Assert.Equal(["x/a"], _backend.Written);
    }

    private async Task StartAsync()
    {
        Load();
        var first = await _engine.SyncAsync(full: true, CancellationToken.None);
        Assert.Equal(AllLocal, _backend.Written);
        Assert.Equal(0, first.Failures);
        _backend.Clear();
    }

    private void Load(bool listAll = true)
    {
        Upsert(new NamespaceInfo("x", ImmutableDictionary<string, string>.Empty.Add("team", "x")));
        Upsert(new NamespaceInfo("y", ImmutableDictionary<string, string>.Empty.Add("team", "y")));
        Upsert(new NetworkAttachmentInfo("x", "net1", "macvlan", """{"type":"macvlan"}"""));
        Upsert(PodX("a", ("app", "a"), "10.0.0.1"));
        Upsert(PodX("b", ("app", "b"), "10.0.0.2"));
        Upsert(PodX("c", ("app", "c"), "10.0.0.3"));
        Upsert(PodX("r", ("app", "client"), "10.0.0.9", node: "node-2"));
        Upsert(Pol.Ingress("x", "p1", Sel.Labels(("app", "a")), Pol.Rule([Pol.Pods(Sel.Labels(("app", "client")))])));
        if (listAll)
        {
            foreach (var kind in Kinds)
            {
                _engine.Apply(ClusterChange.Listed(kind, _time.GetUtcNow()));
            }
        }
    }

    private void Upsert(object value) => _engine.Apply(UpsertChange.Of(value, _time.GetUtcNow()));

    private void Remove(ObjectKey key) => _engine.Apply(ClusterChange.Removed(key, _time.GetUtcNow()));

    private static PodInfo PodX(string name, (string, string) label, string address, string node = Node, (string, string)? extra = null) =>
        PodIn("x", name, label, address, node, extra);

    private static PodInfo PodIn(string ns, string name, (string Key, string Value) label, string address, string node = Node, (string Key, string Value)? extra = null)
    {
        var labels = ImmutableDictionary<string, string>.Empty.Add(label.Key, label.Value);
        if (extra is { } more)
        {
            labels = labels.Add(more.Key, more.Value);
        }

        return new PodInfo(ns, name, $"uid-{ns}-{name}", labels, "Running", false, node, [],
            [new PodInterface(new NetworkRef("x", "net1"), "net1", [IPAddress.Parse(address)], null)], []);
    }
}
