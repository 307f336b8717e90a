using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using static Mnp.Tests.Support.E2e.E2eModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Support.E2e;

/// <summary>
/// The upstream multi-networkpolicy-iptables e2e scenarios (docs/testing.md §6), adapted to the standard model:
/// the server S is x/a, the clients are x/b, x/c (and y/a where a client in another namespace is needed);
/// upstream selects by <c>name: pod-client-*</c> labels, here by <c>pod: b/c</c>; upstream probes one port
/// with nc, here every listed port. Differences from the upstream expectations are noted per case.
/// </summary>
public static class UpstreamScenarioCases
{
    public static ImmutableArray<E2eCase> All { get; } =
    [
        Case("upstream simple-v4-ingress (no policyTypes: Ingress)", "x/a x/b x/c",
            Apply(Make("x", "ingress", PodIs("a"), true, false, [Rule([Pods(PodIs("b"))])]), AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a")))),

        // Upstream infers policyTypes [Egress] and expects b->S open; Kubernetes defaulting adds Ingress: S's ingress is closed.
        Case("upstream simple-v4-egress (no policyTypes: Ingress and Egress here)", "x/a x/b x/c",
            Apply(
                Make("x", "egress", PodIs("a"), true, true, null, [Rule([Pods(PodIs("b"))])]),
                AtTcp(80, Deny("*", "x/a"), Deny("x/a", "*"), Allow("x/a", "x/b")))),
        Case("upstream simple-v4-ingress-list", "x/a x/b x/c y/a",
            Apply(
                Ingress("x", "ingress-list", PodIs("a"), Rule([Pods(PodIs("b"))]), Rule([Pods(PodIs("c"))])),
                AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a"), Allow("x/c", "x/a")))),
        Case("upstream simple-v4-egress-list", "x/a x/b x/c y/a",
            Apply(
                Egress("x", "egress-list", PodIs("a"), Rule([Pods(PodIs("b"))]), Rule([Pods(PodIs("c"))])),
                AtTcp(80, Deny("x/a", "*"), Allow("x/a", "x/b"), Allow("x/a", "x/c")))),
        // Upstream needs custom NDP rules for v6; mnp accepts neighbour discovery by default, so no extra setup.
        Case("upstream simple-v6-ingress", "x/a x/b x/c", IpFamily.V6,
            Apply(Ingress("x", "ingress-v6", PodIs("a"), Rule([Pods(PodIs("b"))])), AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a")))),
        Case("upstream simple-v6-ingress-list", "x/a x/b x/c y/a", IpFamily.V6,
            Apply(
                Ingress("x", "ingress-list-v6", PodIs("a"), Rule([Pods(PodIs("b"))]), Rule([Pods(PodIs("c"))])),
                AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a"), Allow("x/c", "x/a")))),
        Case("upstream stacked", "x/a x/b x/c y/a",
            Apply(
                [Ingress("x", "from-b", PodIs("a"), Rule([Pods(PodIs("b"))])), Ingress("x", "from-c", PodIs("a"), Rule([Pods(PodIs("c"))]))],
                AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a"), Allow("x/c", "x/a")))),

        // Upstream: from a and b, c blocked; here from x/b and x/c by /32, y/a blocked.
        Case("upstream ipblock", "x/a x/b x/c y/a",
            Apply(
                Ingress("x", "ipblock", PodIs("a"), Rule([Block(HostCidr("x/b")), Block(HostCidr("x/c"))])),
                AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a"), Allow("x/c", "x/a")))),
        Case("upstream ipblock-list", "x/a x/b x/c y/a",
            Apply(
                Ingress("x", "ipblock-list", PodIs("a"), Rule([Block(HostCidr("x/b"))]), Rule([Block(HostCidr("x/c"))])),
                AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a"), Allow("x/c", "x/a")))),
        Case("upstream ipblock-stacked", "x/a x/b x/c y/a",
            Apply(
                [
                    Ingress("x", "ipblock-b", PodIs("a"), Rule([Block(HostCidr("x/b"))])),
                    Ingress("x", "ipblock-c", PodIs("a"), Rule([Block(HostCidr("x/c"))])),
                ],
                AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a"), Allow("x/c", "x/a")))),
        Case("upstream ingress-ns-selector-no-pods", "x/a x/b y/a",
            Apply(Ingress("x", "no-pods", PodIs("a"), Rule([Namespaces(Sel.Labels(("foo", "bar")))])), AtTcp(80, Deny("*", "x/a")))),

        // Upstream probes 5555 and 6666 between two pods; same ports here (servers are not needed by the evaluator).
        Case("upstream port-range", "x/a x/b",
            Apply(
                Make("x", "port-range", PodIs("a"), true, true, [Rule(null, [Pol.Tcp(6000, 6900)])], [Rule(null, [Pol.Tcp(5000, 5900)])]),
                AtTcp(5555, Deny("x/b", "x/a")),
                AtTcp(6666, Deny("x/a", "x/b")))),
        Case("upstream protocol-only-ports", "x/a x/b",
            Apply(
                Make("x", "protocol-only", PodIs("a"), true, true, [Rule(null, [AllOf(Protocol.Udp)])], [Rule(null, [AllOf(Protocol.Tcp)])]),
                AtTcp(5555, Deny("x/b", "x/a")),
                AtUdp(6666, Deny("x/a", "x/b")))),

        // Upstream bond-cni: on a, no policyTypes, ingress from b, egress to c (both types by defaulting either way).
        new E2eCase(
            "upstream bond-cni",
            ["x/a", "x/b", "x/c"],
            Standard(["x/a", "x/b", "x/c"], "bond"),
            Net1,
            IpFamily.V4,
            [
                Apply(
                    Make("x", "bond", PodIs("a"), true, true, [Rule([Pods(PodIs("b"))])], [Rule([Pods(PodIs("c"))])]),
                    AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a"), Deny("x/a", "*"), Allow("x/a", "x/c"))),
            ]),
    ];
}
