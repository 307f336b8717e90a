using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Mnp.Agent.Observability;
using Mnp.Agent.Observability.Events;
using Mnp.Agent.Reconcile;
using Mnp.Agent.Sources;
using Mnp.Agent.Sources.Kubernetes;
using Mnp.Agent.Sync;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;
using Mnp.Tests.Unit.Agent.Sync;
using Mnp.Tests.Support.Agent;
using Mnp.Tests.Support;

namespace Mnp.Tests.Unit.Agent.Observability;

public sealed class EventCollectorTests
{
    private const string Node = "node-1";

    [Fact]
    public void Each_reason_is_reported_once_per_object_and_message_and_only_where_it_matters()
    {
        var snapshot = Snapshot();
        var collector = new EventCollector(Node);
        PodSyncResult[] failures = [new("x/a", PodSyncOutcome.Failed, 0, TimeSpan.Zero, new PodSyncFailure(PodSyncFailureReason.CommitFailed, "x/a", "commit failed", FailClosedOutcome.KeptPrevious))];

        var events = collector.Collect(snapshot, failures);

        Assert.Equal(
            ["InvalidNetworkStatus Pod x/b", "InvalidPolicy MultiNetworkPolicy x/bad", "MissingPolicyFor MultiNetworkPolicy x/nofor", "PolicyApplyFailed Pod x/a"],
            events.Select(e => $"{e.Reason} {e.Kind} {e.Namespace}/{e.ObjectName}").Order(StringComparer.Ordinal));
        Assert.DoesNotContain(events, e => e.ObjectName is "remote-only" or "r");
        Assert.Empty(collector.Collect(snapshot, failures));
    }

    [Fact]
    public void Names_are_stable_and_include_the_node()
    {
        var one = EventCollector.EventName("Pod", "x", "a", "PolicyApplyFailed", "m", "node-1");
        Assert.Equal(one, EventCollector.EventName("Pod", "x", "a", "PolicyApplyFailed", "m", "node-1"));
        Assert.NotEqual(one, EventCollector.EventName("Pod", "x", "a", "PolicyApplyFailed", "m", "node-2"));
        Assert.NotEqual(one, EventCollector.EventName("Pod", "x", "a", "PolicyApplyFailed", "other", "node-1"));
        Assert.StartsWith("a.mnp.", one, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posting_creates_the_event_and_a_repeat_after_restart_patches_its_count()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        using var client = new KubeApiClient(KubeApiClient.LoadConfiguration(api.Kubeconfig, null));
        var publisher = new KubeEventPublisher(client, Node, TimeProvider.System);
        var agentEvent = new AgentEvent("Pod", "v1", "x", "a", "uid-a", EventReasons.PolicyApplyFailed, "pod x/a: commit failed", "a.mnp.0123456789abcdef");

        await publisher.PublishAsync(agentEvent, CancellationToken.None);

        var (method, path, body) = Assert.Single(api.Writes);
        Assert.Equal("POST", method);
        Assert.Equal("/api/v1/namespaces/x/events", path);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("Warning", json["type"]!.GetValue<string>());
        Assert.Equal("mnp-agent", json["reportingComponent"]!.GetValue<string>());
        Assert.Equal(Node, json["reportingInstance"]!.GetValue<string>());
        Assert.Equal("uid-a", json["involvedObject"]!["uid"]!.GetValue<string>());

        api.ConflictOnCreate = true;
        await publisher.PublishAsync(agentEvent, CancellationToken.None);
        var patch = api.Writes.Last();
        Assert.Equal("PATCH", patch.Method);
        Assert.Equal("/api/v1/namespaces/x/events/a.mnp.0123456789abcdef", patch.Path);
        Assert.Equal(2, JsonNode.Parse(patch.Body)!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_rule_the_expansion_limit_refuses_on_a_local_pod_becomes_an_InvalidPolicy_event_on_the_policy()
    {
        using var metrics = new AgentMetrics();
        var engine = new SyncEngine([ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy],
            SnapshotInputOptions.Cluster, Node, PolicyOptions.Default with { MaxEntriesPerDirection = 1 }, new FakePodSyncer(), TimeProvider.System, metrics,
            NullLogger.Instance);
        var net = new NetworkRef("x", "net1");
        Upsert(engine, ManifestKinds.Namespace, "", "x", new NamespaceInfo("x", ImmutableDictionary<string, string>.Empty));
        Upsert(engine, ManifestKinds.NetworkAttachmentDefinition, "x", "net1", new NetworkAttachmentInfo("x", "net1", "macvlan", "{}"));
        foreach (var (name, address) in new[] { ("a", "10.0.0.1"), ("b", "10.0.0.2"), ("c", "10.0.0.3") })
        {
            var pod = Pod(name, Node, ("app", name)) with { Interfaces = [new PodInterface(net, "net1", [IPAddress.Parse(address)], null)] };
            Upsert(engine, ManifestKinds.Pod, "x", name, pod);
        }

        // Two peers and one port are two entries: over the limit of one, so the rule allows nothing on x/a.
        Upsert(engine, ManifestKinds.MultiNetworkPolicy, "x", "wide", Pol.Ingress("x", "wide", Sel.Labels(("app", "a")), Pol.Rule([Pol.Pods(Sel.Labels(("app", "b"))), Pol.Pods(Sel.Labels(("app", "c")))])));
        foreach (var kind in new[] { ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy })
        {
            engine.Apply(ClusterChange.Listed(kind, DateTimeOffset.UtcNow));
        }

        await engine.SyncAsync(full: true, CancellationToken.None);
        var events = new EventCollector(Node).Collect(engine.EventInputs, []);

        var refused = Assert.Single(events);
        Assert.Equal((EventReasons.InvalidPolicy, "MultiNetworkPolicy", "x", "wide"), (refused.Reason, refused.Kind, refused.Namespace, refused.ObjectName));
        Assert.StartsWith("spec.ingress[0]: on pod x/a interface net1: 2 match entries", refused.Message, StringComparison.Ordinal);
    }

    private static void Upsert(SyncEngine engine, string kind, string ns, string name, object value) =>
        engine.Apply(new ClusterChange(ClusterChangeKind.Upsert, new ObjectKey(kind, ns, name), value, [], DateTimeOffset.UtcNow));

    private static ClusterSnapshot Snapshot()
    {
        var builder = new ClusterSnapshotBuilder(SnapshotInputOptions.Cluster);
        builder.SetNamespace(new NamespaceInfo("x", ImmutableDictionary<string, string>.Empty));
        builder.SetPod(Pod("a", Node, ("app", "a")), []);
        builder.SetPod(Pod("b", Node, ("app", "b")), [new Problem("Pod", "x", "b", "metadata.annotations[k8s.v1.cni.cncf.io/network-status]", "does not parse as JSON")]);
        builder.SetPod(Pod("r", "node-2", ("app", "remote")), [new Problem("Pod", "x", "r", "metadata.annotations[k8s.v1.cni.cncf.io/network-status]", "does not parse as JSON")]);
        builder.SetPolicy(Pol.Ingress("x", "bad", Sel.Labels(("app", "a"))), [new Problem("MultiNetworkPolicy", "x", "bad", "spec.ingress[0].ports[0].port", "out of range")]);
        builder.SetPolicy(Pol.Ingress("x", "remote-only", Sel.Labels(("app", "remote"))), [new Problem("MultiNetworkPolicy", "x", "remote-only", "spec", "bad")]);
        builder.SetPolicy(new Mnp.Policy.Spec.PolicyInfo("x", "nofor", [], Pol.Ingress("x", "n", Sel.All).Spec), []);
        return builder.Build();
    }

    private static PodInfo Pod(string name, string node, (string Key, string Value) label) =>
        new("x", name, $"uid-{name}", ImmutableDictionary<string, string>.Empty.Add(label.Key, label.Value), "Running", false, node, [], [], []);
}
