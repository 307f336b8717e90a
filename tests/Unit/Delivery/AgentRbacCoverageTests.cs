using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Mnp.Agent.Coexistence;
using Mnp.Agent.Host;
using Mnp.Agent.Observability.Events;
using Mnp.Agent.Sources.Kubernetes;
using Mnp.Policy.Input;
using Mnp.Tests.Support.Agent;
using Mnp.Tests.Unit.Agent.Sync;

namespace Mnp.Tests.Unit.Delivery;

/// <summary>
/// The agent's API requests, end to end against the in-process API server (the coexistence check, the lists and
/// watches of the four kinds, and Events, including the read and patch of one that already exists), mapped to RBAC
/// (API group, resource, verb): exactly what deploy/'s ClusterRole grants, nothing missing and nothing unused.
/// </summary>
public sealed partial class AgentRbacCoverageTests : IAsyncLifetime
{
    private const string Node = "node-1";
    private FakeKubeApiServer _api = null!;

    public async Task InitializeAsync() => _api = await FakeKubeApiServer.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Every_request_of_the_agent_is_granted_and_every_grant_is_used()
    {
        _api.ServeObject(OpenShiftMultiNetworkPolicy.Path, new JsonObject { ["kind"] = "Network", ["spec"] = new JsonObject { ["useMultiNetworkPolicy"] = false } });
        _api.Upsert(KubeObjects.Namespace("x"));
        _api.Upsert(KubeObjects.Network("x", "net1"));
        _api.Upsert(KubeObjects.Pod("x", "a", Node, "x/net1", "10.1.0.1", ("app", "a")));
        _api.Upsert(KubeObjects.Pod("x", "b", "node-2", "x/net1", "10.1.0.2", ("app", "b")));
        _api.Upsert(KubeObjects.IngressPolicy("x", "from-b", "x/net1", ("app", "a"), ("app", "b")));
        var nofor = KubeObjects.IngressPolicy("x", "nofor", "x/net1", ("app", "a"), ("app", "b"));
        ((JsonObject)nofor["metadata"]!).Remove("annotations");
        _api.Upsert(nofor); // an Event (MissingPolicyFor) on a policy selecting a local pod
        _api.ConflictOnCreate = true; // the Event exists already: read and patched

        var options = new AgentOptions { Source = SourceChoice.Kubeconfig, Kubeconfig = _api.Kubeconfig, NodeName = Node, Listen = new IPEndPoint(IPAddress.Loopback, 0) };
        Assert.Null(await CoexistenceGate.HoldIfConflictAsync(options.ToCoexistenceCheck(), CancellationToken.None));
        using var client = new KubeApiClient(KubeApiClient.LoadConfiguration(_api.Kubeconfig, null));
        var events = new KubeEventPublisher(client, Node, TimeProvider.System);
        var parts = new AgentParts(logs => new KubernetesSource(client, TimeProvider.System, logs), SnapshotInputOptions.Cluster, new FakePodSyncer(), "API", "fake")
        {
            PublishEvent = events.PublishAsync,
        };
        var app = AgentHost.Build(options, parts);
        await app.StartAsync();
        try
        {
            await Eventually.TrueAsync(() => app.Services.GetRequiredService<Mnp.Agent.Observability.AgentHealth>().IsReady, "ready");
            await Eventually.TrueAsync(() => _api.Writes.Any(w => w.Method == "PATCH"), "the existing Event patched");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        var used = _api.Requests.Select(r => Grant(r.Method, r.Path, r.Query)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var role = Kustomize.Single(await Kustomize.BuildAsync("base"), "ClusterRole");
        var granted = role["rules"]!.AsArray().SelectMany(r =>
            from g in r!["apiGroups"]!.AsArray()
            from res in r["resources"]!.AsArray()
            from v in r["verbs"]!.AsArray()
            select $"{(string)g!}/{(string)res!}:{(string)v!}").ToHashSet(StringComparer.Ordinal);

        Assert.Empty(used.Except(granted).Order(StringComparer.Ordinal)); // nothing missing
        Assert.Empty(granted.Except(used).Order(StringComparer.Ordinal)); // nothing unused
    }

    [Theory]
    [InlineData("GET", "/api/v1/pods", "?limit=500", "/pods:list")]
    [InlineData("GET", "/api/v1/pods", "?watch=true&resourceVersion=1", "/pods:watch")]
    [InlineData("GET", "/apis/k8s.cni.cncf.io/v1beta1/multi-networkpolicies", "", "k8s.cni.cncf.io/multi-networkpolicies:list")]
    [InlineData("POST", "/api/v1/namespaces/x/events", "", "/events:create")]
    [InlineData("GET", "/api/v1/namespaces/x/events/e1", "", "/events:get")]
    [InlineData("PATCH", "/api/v1/namespaces/x/events/e1", "", "/events:patch")]
    [InlineData("GET", "/apis/operator.openshift.io/v1/networks/cluster", "", "operator.openshift.io/networks:get")]
    [InlineData("GET", "/apis/k8s.cni.cncf.io/v1beta2", "", null)]
    public void Requests_map_to_group_resource_and_verb(string method, string path, string query, string? grant)
    {
        Assert.Equal(grant, Grant(method, path, query));
    }

    /// <summary><c>group/resource:verb</c> of one request; null for discovery (every authenticated user may read it).</summary>
    private static string? Grant(string method, string path, string query)
    {
        var match = ResourcePath().Match(path);
        if (!match.Success)
        {
            return null;
        }

        var named = match.Groups["name"].Success;
        var verb = method switch
        {
            "GET" when query.Contains("watch=true", StringComparison.Ordinal) => "watch",
            "GET" => named ? "get" : "list",
            "POST" => "create",
            "PATCH" => "patch",
            "PUT" => "update",
            "DELETE" => "delete",
            _ => method,
        };
        return $"{match.Groups["group"].Value}/{match.Groups["resource"].Value}:{verb}";
    }

    [GeneratedRegex(@"^/(?:api/v1|apis/(?<group>[^/]+)/[^/]+)(?:/namespaces/[^/]+(?=/))?/(?<resource>[a-z-]+)(?:/(?<name>[^/]+))?$")]
    private static partial Regex ResourcePath();
}
