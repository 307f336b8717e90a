using Mnp.Policy.Netfilter;
using static Mnp.Tests.Support.E2e.E2eModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Support.E2e;

/// <summary>
/// IPv6 and dual stack: every standard pod has 10.9.N.P and fd00:9::N:P on x/net1. Selector policies act on both
/// families; an ipBlock acts on its own family only.
/// </summary>
public static class Ipv6Cases
{
    public static ImmutableArray<E2eCase> All { get; } =
    [
        Case("v6 default-deny-ingress", "x/a x/b y/a y/b", IpFamily.V6,
            Apply(Ingress("x", "deny-ingress", Sel.All), AtTcp(80, Deny("*", "x/*")))),
        Case("v6 podSelector and namespaceSelector", "x/a x/b y/a y/b z/a", IpFamily.V6,
            Apply(Ingress("x", "allow-y-a", PodIs("a"), Rule([NsPods(Sel.Ns("y"), PodIs("a"))])), AtTcp(80, Deny("*", "x/a"), Allow("y/a", "x/a")))),
        Case("v6 egress to server in a /128 block", "x/a y/a y/b", IpFamily.V6,
            Apply(Egress("x", "allow-to-y-b-ip", PodIs("a"), Rule([Block(HostCidr("y/b", IpFamily.V6))])), AtTcp(80, Deny("x/a", "*"), Allow("x/a", "y/b")))),
        Case("v6 except clause inside a /4", "x/a x/b x/c", IpFamily.V6,
            Apply(
                Egress("x", "except-b", PodIs("a"), Rule([Block(Containing("x/b", 4, IpFamily.V6), HostCidr("x/b", IpFamily.V6))])),
                AtTcp(80, Deny("x/a", "x/b")))),
        Case("dual stack: an IPv4 ipBlock does not open IPv6", "x/a y/a y/b", IpFamily.V6,
            Apply(Egress("x", "allow-to-y-b-ip4", PodIs("a"), Rule([Block(HostCidr("y/b"))])), AtTcp(80, Deny("x/a", "*")))),
        Case("dual stack: an IPv6 ipBlock does not open IPv4", "x/a y/a y/b",
            Apply(Egress("x", "allow-to-y-b-ip6", PodIs("a"), Rule([Block(HostCidr("y/b", IpFamily.V6))])), AtTcp(80, Deny("x/a", "*")))),
        Case("dual stack: both blocks open both families (v4 probe)", "x/a y/a y/b",
            Apply(
                Egress("x", "allow-to-y-b-both", PodIs("a"), Rule([Block(HostCidr("y/b")), Block(HostCidr("y/b", IpFamily.V6))])),
                AtTcp(80, Deny("x/a", "*"), Allow("x/a", "y/b")))),
        Case("v6 named port", "x/a x/b y/a", IpFamily.V6,
            Apply(Ingress("x", "allow-81-named", Sel.All, Rule(null, [Named("serve-81-tcp")])), AtTcp(81), AtTcp(80, Deny("*", "x/*")))),
    ];
}
