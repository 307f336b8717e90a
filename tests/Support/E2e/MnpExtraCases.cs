using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using static Mnp.Tests.Support.E2e.E2eModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Support.E2e;

/// <summary>
/// docs/testing.md §5: cases other implementations got wrong once, and MNP-only cases no upstream suite covers.
/// Replies (ovn-kubernetes#5667) are about packets, not new connections: here they show as "ingress isolation
/// leaves the pod's own new egress allowed"; the reply packets themselves belong to the compiled-rules checker.
/// </summary>
public static class MnpExtraCases
{
    private static readonly NetworkRef Net2 = new("x", "net2");

    public static ImmutableArray<E2eCase> All { get; } =
    [
        Case("mnp except narrows only its own block (union with a /32 policy)", "x/a x/b x/c",
            Apply(
                [
                    Egress("x", "allow-4-except-b", PodIs("a"), Rule([Block(Containing("x/b", 4), HostCidr("x/b"))])),
                    Egress("x", "allow-b", PodIs("a"), Rule([Block(HostCidr("x/b"))])),
                ],
                AtTcp(80))),
        Case("mnp except excepted address allowed by a pod selector in the same rule", "x/a x/b x/c",
            Apply(
                Egress("x", "except-or-pod", PodIs("a"), Rule([Block(Containing("x/b", 4), HostCidr("x/b")), Pods(PodIs("b"))])),
                AtTcp(80))),
        Case("mnp peer list matching nothing still isolates", "x/a x/b y/a",
            Apply(Ingress("x", "no-such-ns", PodIs("a"), Rule([Namespaces(Sel.Labels(("foo", "bar")))])), AtTcp(80, Deny("*", "x/a"))),
            Apply(Ingress("x", "no-such-ns", PodIs("a"), Rule([Block("0.0.0.0/31")])), AtTcp(80, Deny("*", "x/a"))),
            Apply(Ingress("x", "no-such-ns", PodIs("a"), Rule([Pods(PodIs("nobody"))])), AtTcp(80, Deny("*", "x/a")))),
        Case("mnp a named port does not open other ports or protocols", "x/a x/b y/a",
            Apply(
                Ingress("x", "named-80", PodIs("a"), Rule(null, [Named("serve-80-tcp")])),
                AtTcp(80),
                AtTcp(81, Deny("*", "x/a")),
                AtUdp(80, Deny("*", "x/a")),
                AtSctp(80, Deny("*", "x/a")))),
        Case("mnp a named port of the wrong protocol matches nothing", "x/a y/a",
            Apply(
                Ingress("x", "tcp-named-udp", PodIs("a"), Rule(null, [Named("serve-81-udp", Protocol.Tcp)])),
                AtTcp(81, Deny("*", "x/a")),
                AtUdp(81, Deny("*", "x/a")))),
        Case("mnp a specific port does not cancel all ports of the protocol in the same rule", "x/a y/a",
            Apply(
                Ingress("x", "all-tcp-and-80", PodIs("a"), Rule(null, [AllOf(Protocol.Tcp), Pol.Tcp(80)])),
                AtTcp(81),
                AtTcp(80),
                AtUdp(80, Deny("*", "x/a")))),
        Case("mnp endPort range is inclusive", "x/a y/a",
            Apply(
                Ingress("x", "range", PodIs("a"), Rule(null, [Pol.Tcp(75, 80)])),
                AtTcp(80),
                AtTcp(81, Deny("*", "x/a")))),
        Case("mnp ingress isolation leaves the pod's own egress open (replies pass)", "x/a y/a",
            Apply(Ingress("x", "deny-ingress", Sel.All), AtTcp(80, Deny("*", "x/*")), AtUdp(80, Deny("*", "x/*")))),
        Case("mnp unparsable policy fails closed on its namespace", "x/a x/b y/a",
            Apply(Unparsable("x", "broken"), AtTcp(80, Deny("*", "x/*"), Deny("x/*", "*")))),
        Case("mnp policy without policy-for applies to nothing", "x/a x/b y/a",
            Apply(Make("x", "nowhere", Sel.All, true, true) with { PolicyFor = [] }, AtTcp(80))),
        Case("mnp policy-for another network applies to nothing here", "x/a x/b y/a",
            Apply(Make("x", "elsewhere", Sel.All, true, true, null, null, "x/other"), AtTcp(80))),
        Case("mnp selector churn: a pod label removed re-opens the pod", "x/a x/b",
            Apply(Ingress("x", "deny-a", PodIs("a")), AtTcp(80, Deny("*", "x/a"))),
            Step(c => c.RelabelPod("x", "a", ("pod", "renamed")), AtTcp(80))),
        new E2eCase(
            "mnp NAD type not managed: policies do nothing",
            ["x/a", "x/b", "y/a"],
            Standard(["x/a", "x/b", "y/a"], "ovn-k8s-cni-overlay"),
            Net1,
            IpFamily.V4,
            [Apply(Make("x", "deny-all", Sel.All, true, true), AtTcp(80))]),
        new E2eCase(
            "mnp NAD missing: network unmanaged",
            ["x/a", "y/a"],
            c => c.Namespace("x").Namespace("y")
                .Pod("x", "a", [("pod", "a")], [(NetworkName, "net1", [Ip("x/a")])], ServePorts)
                .Pod("y", "a", [("pod", "a")], [(NetworkName, "net1", [Ip("y/a")])], ServePorts),
            Net1,
            IpFamily.V4,
            [Apply(Make("x", "deny-all", Sel.All, true, true), AtTcp(80))]),
        new E2eCase(
            "mnp bare nad name in network-status and policy-for means the pod's own namespace",
            ["x/a", "x/b", "x/c"],
            c => c.Namespace("x").Network("x", "net1")
                .Pod("x", "a", [("pod", "a")], [("net1", "net1", [Ip("x/a")])], ServePorts)
                .Pod("x", "b", [("pod", "b")], [("net1", "net1", [Ip("x/b")])], ServePorts)
                .Pod("x", "c", [("pod", "c")], [("net1", "net1", [Ip("x/c")])], ServePorts),
            Net1,
            IpFamily.V4,
            [Apply(Make("x", "bare", PodIs("a"), true, false, [Rule([Pods(PodIs("b"))])], null, "net1"), AtTcp(80, Deny("*", "x/a"), Allow("x/b", "x/a")))]),
        TwoNads("mnp two NADs, policy-for names one: net1 governed", Net1, AtTcp(80, Deny("*", "x/*"))),
        TwoNads("mnp two NADs, policy-for names one: net2 untouched", Net2, AtTcp(80)),
    ];

    private static E2eCase TwoNads(string name, NetworkRef network, PortExpectation expectation) => new(
        name,
        ["x/a", "x/b", "y/a"],
        c =>
        {
            c.Namespace("x").Namespace("y").Network("x", "net1").Network("x", "net2");
            foreach (var pod in new[] { "x/a", "x/b", "y/a" })
            {
                var (ns, podName) = (pod[..1], pod[2..]);
                c.Pod(ns, podName, [("pod", podName)], [(NetworkName, "net1", [Ip(pod)]), ("x/net2", "net2", [Ip(pod, IpFamily.V4, 10)])], ServePorts);
            }
        },
        network,
        IpFamily.V4,
        [Apply(Ingress("x", "deny-ingress-net1", Sel.All), expectation)]);
}
