using Mnp.Policy.Cluster;
using Mnp.Tests.Support;
using Mnp.Tests.Unit.Support;
using static Mnp.Tests.Support.CompilerModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Compiler;

/// <summary>A selection of the 48 NetworkPolicy e2e cases (docs/testing.md §4) judged on the compiled model, 9-pod layout.</summary>
public sealed class E2eCaseTests
{
    private static readonly string[] None = [];

    private static void AssertDenied(TestCluster cluster, Protocol protocol, int port, IReadOnlyList<string> expected) =>
        Assert.Equal(expected.OrderBy(s => s, StringComparer.Ordinal), new Reachability(cluster).Denied(protocol, port));

    private static string[] Except(IReadOnlyList<string> pairs, params string[] allowed) => [.. pairs.Except(Reachability.Pairs(allowed))];

    [Fact]
    public void Case01_default_deny_ingress() =>
        AssertDenied(Cluster().Policy(Ingress("x", "deny", Sel.All, Network)), Protocol.Tcp, 80, Reachability.Pairs("*->x/*"));

    [Fact]
    public void Case02_default_deny_all() =>
        AssertDenied(Cluster().Policy(Make("x", "deny", Sel.All, Network, true, true, [], [])), Protocol.Tcp, 80, Reachability.Pairs("*->x/*", "x/*->*"));

    [Fact]
    public void Case03_pod_selector_means_policy_namespace() =>
        AssertDenied(
            Cluster().Policy(Ingress("x", "p", Sel.Labels(("pod", "a")), Network, Rule([Pods(Sel.Labels(("pod", "b")))]))),
            Protocol.Tcp, 80, Except(Reachability.Pairs("*->x/a"), "x/b->x/a"));

    [Fact]
    public void Case09_pod_selector_or_namespace_selector() =>
        AssertDenied(
            Cluster().Policy(Ingress("x", "p", Sel.Labels(("pod", "a")), Network,
                Rule([PodsIn(Sel.NotIn("kubernetes.io/metadata.name", "x"), Sel.All), Pods(Sel.Labels(("pod", "b")))]))),
            Protocol.Tcp, 80, Reachability.Pairs("x/c->x/a"));

    [Fact]
    public void Case14_based_on_ports()
    {
        var cluster = Cluster().Policy(Ingress("x", "p", Sel.Labels(("pod", "a")), Network, Rule([PodsIn(Sel.Ns("y"), Sel.All)], [Tcp(81)])));

        AssertDenied(cluster, Protocol.Tcp, 81, Reachability.Pairs("x/*->x/a", "z/*->x/a"));
        AssertDenied(cluster, Protocol.Tcp, 80, Reachability.Pairs("*->x/a"));
    }

    [Fact]
    public void Case17_ingress_on_one_named_port()
    {
        var cluster = Cluster().Policy(Ingress("x", "p", Sel.All, Network, Rule(ports: [Named("serve-81-tcp")])));

        AssertDenied(cluster, Protocol.Tcp, 81, None);
        AssertDenied(cluster, Protocol.Tcp, 80, Reachability.Pairs("*->x/*"));
    }

    [Fact]
    public void Case19_egress_on_one_named_port_resolves_on_the_destination()
    {
        var cluster = Cluster().Policy(Egress("x", "p", Sel.All, Network, Rule(ports: [Named("serve-80-tcp")])));

        AssertDenied(cluster, Protocol.Tcp, 80, None);
        AssertDenied(cluster, Protocol.Tcp, 81, Reachability.Pairs("x/*->*"));
    }

    [Fact]
    public void Case23_deny_ingress_from_other_namespaces() =>
        AssertDenied(Cluster().Policy(Ingress("x", "p", Sel.All, Network, Rule([Pods(Sel.All)]))), Protocol.Tcp, 80, Reachability.Pairs("y/*->x/*", "z/*->x/*"));

    [Fact]
    public void Case28_client_side_egress_denial_wins()
    {
        var cluster = Cluster()
            .Policy(Egress("x", "p", Sel.Labels(("pod", "a")), Network, Rule([PodsIn(Sel.Ns("y"), Sel.Labels(("pod", "a")))])))
            .Policy(Ingress("y", "a", Sel.Labels(("pod", "a")), Network, Rule([PodsIn(Sel.Ns("x"), Sel.Labels(("pod", "a")))])))
            .Policy(Ingress("y", "b", Sel.Labels(("pod", "b")), Network, Rule([PodsIn(Sel.Ns("x"), Sel.Labels(("pod", "a")))])));

        AssertDenied(cluster, Protocol.Tcp, 80, Except(Reachability.Pairs("x/a->*", "*->y/a", "*->y/b"), "x/a->y/a"));
    }

    [Fact]
    public void Case30_any_port_of_one_protocol()
    {
        var cluster = Cluster().Policy(Ingress("x", "p", Sel.Labels(("pod", "a")), Network, Rule(ports: [AllOf(Protocol.Tcp)])));

        AssertDenied(cluster, Protocol.Tcp, 80, None);
        AssertDenied(cluster, Protocol.Udp, 80, Reachability.Pairs("*->x/a"));
    }

    [Fact]
    public void Case35_except_in_cidr_and_union_with_a_second_policy()
    {
        var cluster = Cluster().Policy(Egress("x", "p", Sel.Labels(("pod", "a")), Network, Rule([Block("0.0.0.0/4", Ip("x/b") + "/32")])));
        AssertDenied(cluster, Protocol.Tcp, 80, Reachability.Pairs("x/a->x/b"));

        cluster.Policy(Egress("x", "q", Sel.Labels(("pod", "a")), Network, Rule([Block(Ip("x/b") + "/32")])));
        AssertDenied(cluster, Protocol.Tcp, 80, None);
    }

    [Fact]
    public void Case38_sctp_is_not_tcp() =>
        AssertDenied(
            Cluster().Policy(Ingress("x", "deny", Sel.All, Network)).Policy(Ingress("x", "sctp", Sel.Labels(("pod", "a")), Network, Rule(ports: [Sctp(81)]))),
            Protocol.Tcp, 81, Reachability.Pairs("*->x/*"));

    [Fact]
    public void Case42_egress_namespace_selector_not_in() =>
        AssertDenied(
            Cluster().Policy(Egress("x", "p", Sel.Labels(("pod", "a")), Network, Rule([PodsIn(Sel.NotIn("kubernetes.io/metadata.name", "y"), Sel.All)]))),
            Protocol.Tcp, 80, Reachability.Pairs("x/a->y/*"));
}
