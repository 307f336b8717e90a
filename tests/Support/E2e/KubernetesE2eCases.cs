using Mnp.Policy.Cluster;
using Mnp.Policy.Spec;
using static Mnp.Tests.Support.E2e.E2eModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Support.E2e;

/// <summary>
/// The 48 traffic cases of the Kubernetes NetworkPolicy e2e suite, as docs/testing.md §4 lists them, on x/net1.
/// Policies are in x unless a case says otherwise; every policy has policy-for x/net1.
/// </summary>
public static class KubernetesE2eCases
{
    private static readonly PolicyInfo DenyIngressX = Ingress("x", "deny-ingress", Sel.All);

    public static ImmutableArray<E2eCase> All { get; } =
    [
        Case("01 default-deny-ingress", "x/a x/b y/a y/b",
            Apply(DenyIngressX, AtTcp(80, Deny("*", "x/*")))),
        Case("02 default-deny-all", "x/a x/b y/a",
            Apply(Make("x", "deny-all", Sel.All, true, true), AtTcp(80, Deny("*", "x/*"), Deny("x/*", "*")))),
        Case("03 allow from pods within server namespace by podSelector", "x/a x/b x/c y/a",
            Apply(Ingress("x", "allow-x-b", PodIs("a"), Rule([Pods(PodIs("b"))])), AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a")))),
        Case("04 allow ingress traffic for a target", "x/a x/b y/a",
            Apply(
                [DenyIngressX, Ingress("x", "allow-all-to-a", PodIs("a"), Rule([NsPods(Sel.All, Sel.All)]))],
                AtTcp(80, Deny("*", "x/*"), Allow("*", "x/a")))),
        Case("05 allow ingress from pods in all namespaces", "x/a x/b y/a z/a",
            Apply(Ingress("x", "allow-all-ns", PodIs("a"), Rule([Namespaces(Sel.All)])), AtTcp(80))),
        Case("06 allow only from a different namespace by namespaceSelector", "x/a x/b y/a z/a",
            Apply(Ingress("x", "allow-ns-y", PodIs("a"), Rule([Namespaces(Sel.Ns("y"))])), AtTcp(80, Deny("x/*", "x/a"), Deny("z/*", "x/a")))),
        Case("07 podSelector with matchExpressions", "x/a x/b y/a",
            Apply(Ingress("x", "allow-b-expr", PodIs("a"), Rule([Pods(Sel.In("pod", "b"))])), AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a")))),
        Case("08 namespaceSelector with matchExpressions", "x/a x/b y/a z/a",
            Apply(Ingress("x", "allow-ns-expr", PodIs("a"), Rule([Namespaces(NameIn("y"))])), AtTcp(80, Deny("x/*", "x/a"), Deny("z/*", "x/a")))),
        Case("09 podSelector or namespaceSelector", "x/a x/b x/c y/a",
            Apply(
                Ingress("x", "allow-ns-or-pod", PodIs("a"), Rule([Namespaces(NameNotIn("x")), Pods(PodIs("b"))])),
                AtTcp(80, Deny("x/c", "x/a")))),
        Case("10 podSelector and namespaceSelector", "x/a x/b y/a y/b z/b",
            Apply(
                Ingress("x", "allow-ns-and-pod", PodIs("a"), Rule([NsPods(NameNotIn("x"), PodIs("b"))])),
                AtTcp(80, Deny("*", "x/a"), Allow("y/b", "x/a"), Allow("z/b", "x/a")))),
        Case("11 multiple podSelectors and namespaceSelectors", "x/a x/b y/a y/b y/c",
            Apply(
                Ingress("x", "allow-ns-and-pods", PodIs("a"), Rule([NsPods(NameNotIn("x"), Sel.In("pod", "b", "c"))])),
                AtTcp(80, Deny("x/*", "x/a"), Deny("y/a", "x/a")))),
        Case("12 any podSelectors", "x/a x/b x/c",
            Apply(
                Ingress("x", "allow-b-or-c", PodIs("a"), Rule([Pods(PodIs("b")), Pods(PodIs("c"))])),
                AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a"), Allow("x/c", "x/a")))),
        Case("13 only from a pod in a different namespace by podSelector and namespaceSelector", "x/a x/b y/a y/b z/a",
            Apply(Ingress("x", "allow-y-a", PodIs("a"), Rule([NsPods(Sel.Ns("y"), PodIs("a"))])), AtTcp(80, Deny("*", "x/a"), Allow("y/a", "x/a")))),
        Case("14 based on ports", "x/a x/b y/a y/b z/a",
            Apply(
                Ingress("x", "allow-y-81", PodIs("a"), Rule([Namespaces(Sel.Ns("y"))], [Pol.Tcp(81)])),
                AtTcp(81, Deny("x/*", "x/a"), Deny("z/*", "x/a"), Allow("y/*", "x/a")))),
        Case("15 multiple stacked policies with overlapping podSelectors", "x/a x/b y/a y/b z/a",
            Apply(
                Ingress("x", "allow-y-81", PodIs("a"), Rule([Namespaces(Sel.Ns("y"))], [Pol.Tcp(81)])),
                AtTcp(81, Deny("x/*", "x/a"), Deny("z/*", "x/a")),
                AtTcp(80, Deny("*", "x/a"))),
            Apply(
                Ingress("x", "allow-y-80", PodIs("a"), Rule([Namespaces(Sel.Ns("y"))], [Pol.Tcp(80)])),
                AtTcp(81, Deny("x/*", "x/a"), Deny("z/*", "x/a")),
                AtTcp(80, Deny("x/*", "x/a"), Deny("z/*", "x/a")))),
        Case("16 allow-all", "x/a x/b y/a",
            Apply(Ingress("x", "allow-all", Sel.All, AllowAll), AtTcp(80), AtTcp(81))),
        Case("17 ingress access on one named port", "x/a x/b y/a",
            Apply(Ingress("x", "allow-81-named", Sel.All, Rule(null, [Named("serve-81-tcp")])), AtTcp(81), AtTcp(80, Deny("*", "x/*")))),
        Case("18 ingress access from namespace on one named port", "x/a x/b y/a z/a",
            Apply(
                Ingress("x", "allow-y-80-named", PodIs("a"), Rule([Namespaces(Sel.Ns("y"))], [Named("serve-80-tcp")])),
                AtTcp(80, Deny("x/*", "x/a"), Deny("z/*", "x/a")),
                AtTcp(81, Deny("*", "x/a")))),
        Case("19 egress access on one named port", "x/a y/a",
            Apply(Egress("x", "allow-egress-80-named", Sel.All, Rule(null, [Named("serve-80-tcp")])), AtTcp(80), AtTcp(81, Deny("x/*", "*")))),
        Case("20 enforce updated policy", "x/a y/a",
            Apply(Ingress("x", "allow-all-then-none", Sel.All, AllowAll), AtTcp(81)),
            Apply(Ingress("x", "allow-all-then-none", Sel.All), AtTcp(81, Deny("*", "x/*")))),
        Case("21 ingress access from updated namespace", "x/a y/a",
            Apply(Ingress("x", "allow-ns2-updated", PodIs("a"), Rule([Namespaces(Sel.Labels(("ns2", "updated")))])), AtTcp(80, Deny("*", "x/a"))),
            Step(c => c.RelabelNamespace("y", ("ns2", "updated")), AtTcp(80, Deny("*", "x/a"), Allow("y/*", "x/a")))),
        Case("22 ingress access from updated pod", "x/a x/b",
            Apply(Ingress("x", "allow-pod2-updated", PodIs("a"), Rule([Pods(Sel.Labels(("pod", "b"), ("pod2", "updated")))])), AtTcp(80, Deny("*", "x/a"))),
            Step(c => c.RelabelPod("x", "b", ("pod2", "updated")), AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a")))),
        Case("23 deny ingress from pods on other namespaces", "x/a x/b y/a z/a",
            Apply(Ingress("x", "allow-own-ns", Sel.All, Rule([Pods(Sel.All)])), AtTcp(80, Deny("y/*", "x/*"), Deny("z/*", "x/*")))),
        Case("24 deny ingress access to updated pod", "x/a y/a",
            Apply(Ingress("x", "deny-isolated", Sel.Labels(("target", "isolated"))), AtTcp(80)),
            Step(c => c.RelabelPod("x", "a", ("target", "isolated")), AtTcp(80, Deny("*", "x/a")))),
        Case("25 deny egress from pods by podSelector", "x/a x/b y/a",
            Apply(Egress("x", "deny-egress-a", PodIs("a")), AtTcp(80, Deny("x/a", "*")))),
        Case("26 deny egress from all pods in a namespace", "x/a x/b y/a",
            Apply(Egress("x", "deny-egress", Sel.All), AtTcp(80, Deny("x/*", "*")))),
        Case("27 ingress and egress specified together", "x/a x/b x/c y/a",
            Apply(
                Make("x", "ingress-egress", PodIs("a"), true, true, [Rule([Pods(PodIs("b"))])], [Rule(null, [Pol.Tcp(80)])]),
                AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a")),
                AtTcp(81, Deny("*", "x/a"), Deny("x/a", "*"), Allow("x/b", "x/a")))),
        Case("28 egress denied on the client side even if the server allows it", "x/a y/a y/b",
            Apply(
                [
                    Egress("x", "allow-to-y-a", PodIs("a"), Rule([NsPods(Sel.Ns("y"), PodIs("a"))])),
                    Ingress("y", "allow-x-a-to-a", PodIs("a"), Rule([NsPods(Sel.Ns("x"), PodIs("a"))])),
                    Ingress("y", "allow-x-a-to-b", PodIs("b"), Rule([NsPods(Sel.Ns("x"), PodIs("a"))])),
                ],
                AtTcp(80, Deny("*", "*"), Allow("x/a", "y/a"), Allow("y/a", "x/a"), Allow("y/b", "x/a")))),
        Case("29 egress to a server in another namespace by podSelector and namespaceSelector", "x/a y/a y/b",
            Apply(Egress("x", "allow-to-y-a", PodIs("a"), Rule([NsPods(Sel.Ns("y"), PodIs("a"))])), AtTcp(80, Deny("x/a", "*"), Allow("x/a", "y/a")))),
        Case("30 ingress allowing any port on a specific protocol", "x/a y/a",
            Apply(Ingress("x", "allow-tcp", PodIs("a"), Rule(null, [AllOf(Protocol.Tcp)])), AtTcp(80), AtUdp(80, Deny("*", "x/a")))),
        Case("31 multiple ingress policies, allow-all taking precedence", "x/a y/a",
            Apply(Ingress("x", "allow-80", Sel.All, Rule(null, [Pol.Tcp(80)])), AtTcp(81, Deny("*", "x/*"))),
            Apply(Ingress("x", "allow-all", Sel.All, AllowAll), AtTcp(81))),
        Case("32 multiple egress policies, allow-all taking precedence", "x/a y/a",
            Apply(Egress("x", "allow-80", Sel.All, Rule(null, [Pol.Tcp(80)])), AtTcp(81, Deny("x/*", "*"))),
            Apply(Egress("x", "allow-all", Sel.All, AllowAll), AtTcp(81))),
        Case("33 stop enforcing policies after they are deleted", "x/a y/a",
            Apply(Make("x", "deny-all", Sel.All, true, true), AtTcp(80, Deny("x/*", "*"), Deny("*", "x/*"))),
            Step(c => c.RemovePolicy("x", "deny-all"), AtTcp(80))),
        Case("34 egress access to server in CIDR block", "x/a y/a y/b",
            Apply(Egress("x", "allow-to-y-b-ip", PodIs("a"), Rule([Block(HostCidr("y/b"))])), AtTcp(80, Deny("x/a", "*"), Allow("x/a", "y/b")))),
        Case("35 except clause while egress access to server in CIDR block", "x/a x/b x/c",
            Apply(
                Egress("x", "deny-client-a-via-except", PodIs("a"), Rule([Block(Containing("x/b", 4), HostCidr("x/b"))])),
                AtTcp(80, Deny("x/a", "x/b")))),
        Case("36 an IP overlapping both ipBlock cidr and except is allowed after replacement", "x/a x/b x/c",
            Apply(
                Egress("x", "deny-client-a-via-except", PodIs("a"), Rule([Block(Containing("x/b", 4), HostCidr("x/b"))])),
                AtTcp(80, Deny("x/a", "x/b"))),
            Apply(
                Egress("x", "deny-client-a-via-except", PodIs("a"), Rule([Block(HostCidr("x/b"))])),
                AtTcp(80, Deny("x/a", "*"), Allow("x/a", "x/b")))),
        Case("37 ingress and egress controlled independently", "x/a x/b y/a",
            Apply(Egress("x", "allow-egress", PodIs("a"), AllowAll), AtTcp(80)),
            Apply(Ingress("x", "deny-ingress", PodIs("a")), AtTcp(80, Deny("*", "x/a")))),
        Case("38 protocol SCTP is not TCP", "x/a y/a",
            Apply([DenyIngressX, Ingress("x", "allow-sctp-81", PodIs("a"), Rule(null, [Pol.Sctp(81)]))], AtTcp(81, Deny("*", "x/*")))),
        Case("39 a policy allowing SCTP isolates", "x/a y/a",
            Apply(Ingress("x", "allow-sctp-80", PodIs("a"), Rule(null, [Pol.Sctp(80)])), AtTcp(81, Deny("*", "x/a")))),
        Case("40 a UDP-only policy does not allow TCP", "x/a y/a",
            Apply(Ingress("x", "allow-udp-81", PodIs("a"), Rule(null, [Pol.Udp(81)])), AtTcp(81, Deny("*", "x/a")))),
        Case("41 namespaceSelector matchLabels on the default namespace label", "x/a x/b y/a z/a",
            Apply(Ingress("x", "allow-ns-y", PodIs("a"), Rule([Namespaces(Sel.Ns("y"))])), AtTcp(80, Deny("x/*", "x/a"), Deny("z/*", "x/a")))),
        Case("42 namespaceSelector matchExpressions on the default namespace label", "x/a x/b y/a z/a",
            Apply(Egress("x", "deny-to-y", PodIs("a"), Rule([Namespaces(NameNotIn("y"))])), AtTcp(80, Deny("x/a", "y/*")))),
        Case("43 UDP default-deny-ingress", "x/a x/b y/a y/b",
            Apply(DenyIngressX, AtUdp(80, Deny("*", "x/*")))),
        Case("44 UDP based on ports", "x/a x/b y/a z/a",
            Apply(
                Ingress("x", "allow-y-udp-81", PodIs("a"), Rule([Namespaces(Sel.Ns("y"))], [Pol.Udp(81)])),
                AtUdp(81, Deny("x/*", "x/a"), Deny("z/*", "x/a")))),
        Case("45 UDP podSelector and namespaceSelector", "x/a x/b y/a",
            Apply(Ingress("x", "allow-y-a", PodIs("a"), Rule([NsPods(Sel.Ns("y"), PodIs("a"))])), AtUdp(80, Deny("*", "x/a"), Allow("y/a", "x/a")))),
        Case("46 SCTP default-deny-ingress", "x/a x/b y/a y/b",
            Apply(DenyIngressX, AtSctp(80, Deny("*", "x/*")))),
        Case("47 SCTP based on ports", "x/a x/b y/a z/a",
            Apply(
                Ingress("x", "allow-y-sctp-81", PodIs("a"), Rule([Namespaces(Sel.Ns("y"))], [Pol.Sctp(81)])),
                AtSctp(81, Deny("x/*", "x/a"), Deny("z/*", "x/a")))),
        Case("48 SCTP podSelector and namespaceSelector", "x/a x/b y/a",
            Apply(Ingress("x", "allow-y-a", PodIs("a"), Rule([NsPods(Sel.Ns("y"), PodIs("a"))])), AtSctp(80, Deny("*", "x/a"), Allow("y/a", "x/a")))),
    ];
}
