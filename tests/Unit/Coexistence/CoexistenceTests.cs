using System.Net.Sockets;
using System.Text.Json.Nodes;
using Mnp.Agent.Coexistence;
using Mnp.Agent.Host;
using Mnp.Agent.Sources.Kubernetes;
using Mnp.Tests.Support.Agent;

namespace Mnp.Tests.Unit.Coexistence;

/// <summary>
/// The agent's start-up check against the in-process API server: with OpenShift's own MultiNetworkPolicy agent enabled
/// it lists nothing, programs nothing, answers /readyz 503 naming the conflict and posts one Warning Event; otherwise,
/// or when told to ignore it, the agent starts.
/// </summary>
public sealed class CoexistenceTests : IAsyncLifetime
{
    private FakeKubeApiServer _api = null!;

    public async Task InitializeAsync() => _api = await FakeKubeApiServer.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData(null, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task The_conflict_is_useMultiNetworkPolicy_true_on_the_cluster_network_config(bool? use, bool conflict)
    {
        if (use is { } value)
        {
            ServeNetwork(value);
        }

        using var client = new KubeApiClient(KubeApiClient.LoadConfiguration(_api.Kubeconfig, null));
        var found = await OpenShiftMultiNetworkPolicy.DetectAsync(client, CancellationToken.None);

        Assert.Equal(conflict, found is not null);
        Assert.Contains(_api.Requests, r => r is ("GET", OpenShiftMultiNetworkPolicy.Path, _));
    }

    [Fact]
    public async Task With_the_conflict_the_agent_programs_nothing_stays_not_ready_and_posts_an_event()
    {
        ServeNetwork(true);
        var port = FreePort();
        using var stop = new CancellationTokenSource();

        var run = CoexistenceGate.HoldIfConflictAsync(Options(port, ignore: false).ToCoexistenceCheck(), stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.TrueAsync(() => _api.Writes.Any(w => w.Method == "POST"), "the Event is posted");

        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("spec.useMultiNetworkPolicy: true", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        var (_, path, body) = Assert.Single(_api.Writes);
        Assert.Equal("/api/v1/namespaces/default/events", path);
        var posted = JsonNode.Parse(body)!;
        Assert.Equal((CoexistenceHold.Reason, "Warning", "Network", "cluster", "node-1"),
            ((string)posted["reason"]!, (string)posted["type"]!, (string)posted["involvedObject"]!["kind"]!, (string)posted["involvedObject"]!["name"]!, (string)posted["reportingInstance"]!));
        // Nothing is listed or watched, so nothing can be programmed.
        Assert.Equal(0, _api.ListRequests);
        Assert.Equal(0, _api.WatchRequests);

        await stop.CancelAsync();
        Assert.Equal(0, await run);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Without_the_conflict_or_when_told_to_ignore_it_the_agent_starts(bool enabled, bool ignore)
    {
        ServeNetwork(enabled);

        var held = await CoexistenceGate.HoldIfConflictAsync(Options(FreePort(), ignore).ToCoexistenceCheck(), CancellationToken.None);

        Assert.Null(held);
        Assert.Empty(_api.Writes);
        Assert.Equal(!ignore, _api.Requests.Any(r => r is ("GET", OpenShiftMultiNetworkPolicy.Path, _)));
    }

    [Fact]
    public void The_flag_is_an_agent_switch()
    {
        var flags = new Dictionary<string, string> { ["--manifests"] = Path.GetTempPath(), ["--ignore-openshift-mnp-agent"] = "true" };
        var (options, errors) = AgentOptionsReader.Read(f => flags.GetValueOrDefault(f), _ => "node-1");
        var (defaults, _) = AgentOptionsReader.Read(f => f == "--manifests" ? Path.GetTempPath() : null, _ => "node-1");

        Assert.Empty(errors);
        Assert.True(options!.IgnoreOpenShiftAgent);
        Assert.False(defaults!.IgnoreOpenShiftAgent);
    }

    private AgentOptions Options(int port, bool ignore) => new()
    {
        Source = SourceChoice.Kubeconfig,
        Kubeconfig = _api.Kubeconfig,
        NodeName = "node-1",
        Listen = new IPEndPoint(IPAddress.Loopback, port),
        IgnoreOpenShiftAgent = ignore,
    };

    private void ServeNetwork(bool use) => _api.ServeObject(OpenShiftMultiNetworkPolicy.Path, new JsonObject
    {
        ["apiVersion"] = "operator.openshift.io/v1",
        ["kind"] = "Network",
        ["metadata"] = new JsonObject { ["name"] = "cluster" },
        ["spec"] = new JsonObject { ["useMultiNetworkPolicy"] = use, ["defaultNetwork"] = new JsonObject { ["type"] = "OVNKubernetes" } },
    });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
