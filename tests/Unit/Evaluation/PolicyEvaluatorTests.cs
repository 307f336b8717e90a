using System.Text.Json;
using Mnp.Policy.Cluster;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Evaluation;

public sealed class PolicyEvaluatorTests
{
    private static readonly ContainerPort[] WebPorts = [new("http", 8080, Protocol.Tcp), new("dns", 53, Protocol.Udp)];

    /// <summary>x/a, x/b, y/c on x/net1 (10.9.0.1-3, a dual stack); x/a and y/c also on x/net2; x/p Pending.</summary>
    private static TestCluster BaseCluster() => new TestCluster()
        .Namespace("x").Namespace("y", ("team", "blue"))
        .Network("x", "net1").Network("x", "net2").Network("x", "ovn", "ovn-k8s-cni-overlay")
        .Pod("x", "a", [("app", "web")], [("x/net1", "net1", ["10.9.0.1", "fd00::1"]), ("x/net2", "net2", ["10.8.0.1"])], WebPorts)
        .Pod("x", "b", [("app", "db")], [("x/net1", "net1", ["10.9.0.2"]), ("x/ovn", "net3", ["10.7.0.2"])])
        .Pod("y", "c", [("app", "web")], [("x/net1", "net1", ["10.9.0.3"]), ("x/net2", "net2", ["10.8.0.3"]), ("x/ovn", "net3", ["10.7.0.3"])])
        .Pod("x", "p", [("app", "db")], [("x/net1", "net1", ["10.9.0.9"])], phase: "Pending");

    private static PolicyEvaluator Evaluator(TestCluster cluster) => new(cluster.Build(), PolicyOptions.Default);

    private static TraceResult Trace(TestCluster cluster, string from, string to, string port = "80", Protocol protocol = Protocol.Tcp, string? network = null, IpFamily? family = null) =>
        Evaluator(cluster).Trace(new ConnectionQuery(
            EndpointRef.Parse(from),
            EndpointRef.Parse(to),
            port,
            protocol,
            network is null ? null : new NetworkRef(network.Split('/')[0], network.Split('/')[1]),
            family));

    [Fact]
    public void Without_policies_everything_is_allowed_and_not_isolated()
    {
        var result = Trace(BaseCluster(), "x/b", "x/a", network: "x/net1");

        Assert.True(result.Allowed);
        Assert.False(result.Egress.Isolated);
        Assert.False(result.Ingress.Isolated);
        Assert.Equal("10.9.0.1", result.To.Address.ToString());
    }

    [Fact]
    public void The_single_shared_network_is_picked_when_none_is_given()
    {
        var result = Trace(BaseCluster(), "x/a", "x/b");

        Assert.Equal("x/net1", result.Network.ToString());
    }

    [Fact]
    public void Several_shared_networks_without_network_is_an_error_naming_them()
    {
        var error = Assert.Throws<TraceException>(() => Trace(BaseCluster(), "x/a", "y/c"));

        Assert.Contains("x/net1, x/net2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_shared_network_and_unknown_pods_are_one_line_errors()
    {
        var cluster = BaseCluster().Pod("z", "lonely", interfaces: [("z/other", "net1", ["10.1.1.1"])]);

        Assert.Contains("share no network", Assert.Throws<TraceException>(() => Trace(cluster, "z/lonely", "x/a")).Message, StringComparison.Ordinal);
        Assert.Equal("pod x/nobody not found", Assert.Throws<TraceException>(() => Trace(cluster, "x/nobody", "x/a")).Message);
        Assert.Contains("has no interface on network x/net2", Assert.Throws<TraceException>(() => Trace(cluster, "x/b", "x/a", network: "x/net2")).Message, StringComparison.Ordinal);
        Assert.Throws<TraceException>(() => EndpointRef.Parse("not-a-pod"));
    }

    [Fact]
    public void A_pod_without_an_address_of_the_family_is_an_error_and_IPv6_picks_the_v6_address()
    {
        var cluster = BaseCluster();

        Assert.Contains("no IPv6 address", Assert.Throws<TraceException>(() => Trace(cluster, "x/a", "x/b", family: IpFamily.V6)).Message, StringComparison.Ordinal);
        var result = Trace(cluster, "fd00::9", "x/a", network: "x/net1");
        Assert.Equal(IpFamily.V6, result.Family);
        Assert.Equal("fd00::1", result.To.Address.ToString());
    }

    [Fact]
    public void Every_matching_policy_and_rule_is_listed_with_its_peer_and_port()
    {
        var cluster = BaseCluster()
            .Policy(Ingress("x", "p1", Sel.Labels(("app", "web")), Rule([Block("10.9.0.0/24", "10.9.0.3/32"), Pods(Sel.Labels(("app", "db")))], [Tcp(80)])))
            .Policy(Ingress("x", "p2", Sel.All, Rule([Namespaces(Sel.Labels(("team", "blue")))]), Rule(null, [Tcp(70, 90)])));

        var result = Trace(cluster, "x/b", "x/a", network: "x/net1");

        Assert.True(result.Allowed);
        Assert.True(result.Ingress.Isolated);
        Assert.Equal<string>(["x/p1", "x/p2"], result.Ingress.SelectingPolicies);
        Assert.Equal<RuleMatch>(
            [new RuleMatch("x/p1", 0, PeerKind.IpBlock, 0, 0, "TCP/80"), new RuleMatch("x/p2", 1, PeerKind.Any, null, 0, "TCP/70-90")],
            result.Ingress.AllowedBy);
    }

    [Fact]
    public void Except_narrows_its_block_but_a_namespace_peer_still_allows()
    {
        var cluster = BaseCluster()
            .Policy(Ingress("x", "p1", Sel.Labels(("app", "web")), Rule([Block("10.9.0.0/24", "10.9.0.3/32"), Namespaces(Sel.Labels(("team", "blue")))])));

        var result = Trace(cluster, "y/c", "x/a", network: "x/net1");

        Assert.True(result.Allowed);
        Assert.Equal(PeerKind.NamespaceSelector, Assert.Single(result.Ingress.AllowedBy).PeerKind);
        Assert.Equal(1, result.Ingress.AllowedBy[0].PeerIndex);
    }

    [Fact]
    public void An_address_of_a_pod_stands_for_that_pod_and_a_foreign_address_is_never_isolated()
    {
        var cluster = BaseCluster()
            .Policy(Make("x", "iso", Sel.Labels(("app", "db")), true, true, [Rule([Pods(Sel.Labels(("app", "web")))])]));

        var asPod = Trace(cluster, "10.9.0.1", "x/b");
        var foreign = Trace(cluster, "192.0.2.1", "x/b", network: "x/net1");
        var outward = Trace(cluster, "x/b", "192.0.2.1", network: "x/net1");

        Assert.Equal("x/a", asPod.From.Pod);
        Assert.True(asPod.Allowed);
        Assert.False(foreign.Allowed);
        Assert.False(foreign.Egress.Isolated);
        Assert.True(outward.Egress.Isolated);
        Assert.False(outward.Allowed);
        Assert.False(outward.Ingress.Isolated);
    }

    [Fact]
    public void With_an_address_end_the_network_comes_from_the_pod_end_or_its_only_managed_network()
    {
        var cluster = BaseCluster();

        // x/b is on x/net1 and the unmanaged x/ovn: its only managed network is picked for an external address.
        Assert.Equal("x/net1", Trace(cluster, "x/b", "192.0.2.1").Network.ToString());

        // 10.8.0.3 is y/c's address on x/net2 only; x/b is not on x/net2, so it is an external peer on x/net1.
        var external = Trace(cluster, "x/b", "10.8.0.3");
        Assert.Equal("x/net1", external.Network.ToString());
        Assert.Null(external.To.Pod);

        // x/a has two managed networks: ambiguous.
        Assert.Throws<TraceException>(() => Trace(cluster, "x/a", "192.0.2.1"));
        Assert.Contains("give the network", Assert.Throws<TraceException>(() => Trace(cluster, "192.0.2.1", "192.0.2.2")).Message, StringComparison.Ordinal);
        Assert.Equal("y/c", Trace(cluster, "192.0.2.1", "10.8.0.3").To.Pod);
    }

    [Fact]
    public void Egress_to_an_external_address_is_allowed_by_an_ipblock_only()
    {
        var cluster = BaseCluster()
            .Policy(Egress("x", "out", Sel.Labels(("app", "db")), Rule([Block("192.0.2.0/24", "192.0.2.128/25")]), Rule([Namespaces(Sel.All)])));

        Assert.True(Trace(cluster, "x/b", "192.0.2.1").Allowed);
        Assert.False(Trace(cluster, "x/b", "192.0.2.200").Allowed);
        Assert.False(Trace(cluster, "x/b", "198.51.100.1").Allowed);
        Assert.True(Trace(cluster, "x/b", "x/a").Allowed);
    }

    [Fact]
    public void Named_ports_resolve_on_the_destination_and_never_for_an_address()
    {
        var cluster = BaseCluster().Policy(Ingress("x", "named", Sel.All, Rule(null, [Named("http")])));

        var byName = Trace(cluster, "x/b", "x/a", "http", network: "x/net1");
        var byNumber = Trace(cluster, "x/b", "x/a", "8080", network: "x/net1");
        var otherPort = Trace(cluster, "x/b", "x/a", "8081", network: "x/net1");

        Assert.Equal(8080, byName.Port);
        Assert.True(byName.Allowed);
        Assert.True(byNumber.Allowed);
        Assert.False(otherPort.Allowed);
        Assert.Contains("needs a pod destination", Assert.Throws<TraceException>(() => Trace(cluster, "x/a", "192.0.2.1", "http", network: "x/net1")).Message, StringComparison.Ordinal);
        Assert.Contains("declares no UDP", Assert.Throws<TraceException>(() => Trace(cluster, "x/b", "x/a", "http", Protocol.Udp, "x/net1")).Message, StringComparison.Ordinal);
        Assert.Throws<TraceException>(() => Trace(cluster, "x/b", "x/a", "70000", network: "x/net1"));
    }

    [Fact]
    public void An_unmanaged_network_is_never_isolated()
    {
        var cluster = BaseCluster().Policy(Make("x", "deny", Sel.All, true, true, policyFor: "x/ovn"));

        var result = Trace(cluster, "x/b", "y/c", network: "x/ovn");

        Assert.True(result.Allowed);
        Assert.False(result.NetworkManaged);
        Assert.False(result.Egress.Isolated);
    }

    [Fact]
    public void An_unparsable_policy_isolates_its_namespace_in_both_directions()
    {
        var cluster = BaseCluster().Policy(Unparsable("x", "broken"));

        var result = Trace(cluster, "x/a", "x/b");

        Assert.False(result.Allowed);
        Assert.True(result.Egress.Isolated);
        Assert.True(result.Ingress.Isolated);
        Assert.Equal<string>(["x/broken"], result.Egress.SelectingPolicies);
        Assert.True(Trace(cluster, "y/c", "y/c", network: "x/net1").Allowed);
    }

    [Fact]
    public void A_pending_pod_is_not_isolated_nor_a_selector_peer_but_an_ipblock_matches_its_address()
    {
        var cluster = BaseCluster()
            .Policy(Make("x", "iso", Sel.Labels(("app", "db")), true, false))
            .Policy(Ingress("x", "from-db", Sel.Labels(("app", "web")), Rule([Pods(Sel.Labels(("app", "db")))])))
            .Policy(Ingress("x", "from-block", Sel.Labels(("app", "web")), Rule([Block("10.9.0.9/32")], [Tcp(81)])));

        var toPending = Trace(cluster, "x/a", "x/p");

        Assert.False(Trace(cluster, "x/p", "x/a", "80").Allowed);
        Assert.True(Trace(cluster, "x/p", "x/a", "81").Allowed);
        Assert.True(toPending.Allowed);
        Assert.False(toPending.Ingress.Isolated);
        Assert.False(Trace(cluster, "x/a", "x/b").Allowed);
        Assert.True(Trace(cluster, "x/b", "x/a").Allowed);
    }

    [Fact]
    public void Trace_json_has_the_cli_shape()
    {
        var cluster = BaseCluster().Policy(Egress("x", "p1", Sel.Labels(("app", "db")), Rule([Pods(Sel.All)])));

        using var json = JsonDocument.Parse(TraceJson.Write(Trace(cluster, "x/b", "x/a")));

        var root = json.RootElement;
        Assert.Equal("allowed", root.GetProperty("verdict").GetString());
        Assert.True(root.GetProperty("egress").GetProperty("isolated").GetBoolean());
        Assert.Equal("allowed", root.GetProperty("egress").GetProperty("verdict").GetString());
        var allowedBy = root.GetProperty("egress").GetProperty("allowedBy")[0];
        Assert.Equal("x/p1", allowedBy.GetProperty("policy").GetString());
        Assert.Equal(0, allowedBy.GetProperty("rule").GetInt32());
        Assert.Equal("podSelector", allowedBy.GetProperty("peer").GetString());
        Assert.False(root.GetProperty("ingress").GetProperty("isolated").GetBoolean());
        Assert.Equal(0, root.GetProperty("ingress").GetProperty("allowedBy").GetArrayLength());
    }

    [Fact]
    public void Trace_text_names_the_verdict_and_the_matching_rule()
    {
        var cluster = BaseCluster().Policy(Egress("x", "p1", Sel.Labels(("app", "db")), Rule([Pods(Sel.All)])));

        var text = TraceText.Write(Trace(cluster, "x/b", "x/a"));

        Assert.StartsWith("ALLOWED: x/b (10.9.0.2) -> x/a (10.9.0.1) TCP/80 on x/net1\n", text, StringComparison.Ordinal);
        Assert.Contains("x/p1 rule 0: peer PodSelector[0], port any", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reachability_covers_ordered_pairs_per_shared_network_and_declared_ports()
    {
        var cluster = BaseCluster().Policy(Make("x", "deny-a", Sel.Labels(("app", "web")), true, false, policyFor: "x/net2"));
        var evaluator = Evaluator(cluster);

        var flows = evaluator.Reachability(ReachabilityRequest.Default with { Network = new NetworkRef("x", "net2") });

        // x/a and y/c share net2; x/a declares 8080/TCP and 53/UDP, y/c nothing (80/TCP).
        Assert.Equal(
            ["x/a->y/c 80/Tcp True", "y/c->x/a 53/Udp False", "y/c->x/a 8080/Tcp False"],
            flows.Select(f => $"{f.From}->{f.To} {f.Port}/{f.Protocol} {f.Allowed}"));
        Assert.Equal("10.8.0.1", flows[1].Address.ToString());
    }

    [Fact]
    public void Reachability_with_explicit_ports_and_all_networks_matches_trace()
    {
        var cluster = BaseCluster().Policy(Ingress("x", "web-81", Sel.Labels(("app", "web")), Rule(null, [Tcp(81)])));
        var evaluator = Evaluator(cluster);

        var flows = evaluator.Reachability(new ReachabilityRequest { Ports = [80, 81], Families = [IpFamily.V4, IpFamily.V6] });

        Assert.All(flows, flow => Assert.Equal(
            evaluator.Trace(new ConnectionQuery(EndpointRef.Parse(flow.From), EndpointRef.Parse(flow.To), $"{flow.Port}", flow.Protocol, flow.Network, flow.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IpFamily.V6 : IpFamily.V4)).Allowed,
            flow.Allowed));
        Assert.Contains(flows, f => f is { From: "x/b", To: "x/a", Port: 80, Allowed: false });
        Assert.Contains(flows, f => f is { From: "x/b", To: "x/a", Port: 81, Allowed: true });
        Assert.Contains(flows, f => f.Network.Name == "ovn");
        using var json = JsonDocument.Parse(ReachabilityJson.Write(flows));
        var first = json.RootElement.GetProperty("flows")[0];
        Assert.Equal(["from", "to", "network", "address", "port", "protocol", "verdict"], first.EnumerateObject().Select(p => p.Name));
    }
}
