using Mnp.Policy.Cluster;
using Mnp.Tests.Support;
using Mnp.Tests.Support.E2e;
using static Mnp.Tests.Support.E2e.E2eModel;

namespace Mnp.Tests.Privileged.Lab.Conformance;

/// <summary>
/// The e2e cases the lab runs on the wire: the 48 Kubernetes cases, mnp's extra cases, the upstream scenarios and
/// the IPv6/dual-stack cases (their TCP and UDP expectations; SCTP ones are checked on the rules), plus the lab's own
/// reply cases. "mnp NAD missing" is left out: a pod cannot be attached to a network that has no NAD (Multus refuses
/// it too), so the lab cannot build it; the compiled model covers it in the unit tests.
/// </summary>
internal static class ConformanceCases
{
    public const string NadMissing = "mnp NAD missing: network unmanaged";

    /// <summary>Replies of allowed connections pass when the reverse direction is isolated: egress-only and ingress-only, TCP and UDP.</summary>
    public static ImmutableArray<E2eCase> Replies { get; } =
    [
        Case("lab reply leaves an egress-isolated server", "x/a x/b y/a",
            Apply(Pol.Make("x", "a-no-egress", PodIs("a"), false, true), AtTcp(80, Deny("x/a", "*")), AtUdp(81, Deny("x/a", "*")))),
        Case("lab reply enters an ingress-isolated client", "x/a x/b y/a",
            Apply(Pol.Make("x", "b-no-ingress", PodIs("b"), true, false), AtTcp(80, Deny("*", "x/b")), AtUdp(81, Deny("*", "x/b")))),
        Case("lab reply passes both isolated directions of a one-way allowance", "x/a x/b",
            Apply(
                [
                    Pol.Make("x", "a-only-from-b", PodIs("a"), true, true, [Pol.Rule([Pol.Pods(PodIs("b"))])], []),
                    Pol.Make("x", "b-only-to-a", PodIs("b"), true, true, [], [Pol.Rule([Pol.Pods(PodIs("a"))])]),
                ],
                AtTcp(80, Deny("*", "*"), Allow("x/b", "x/a")),
                AtUdp(81, Deny("*", "*"), Allow("x/b", "x/a")))),
    ];

    public static ImmutableArray<E2eCase> All { get; } =
    [
        .. KubernetesE2eCases.All, .. MnpExtraCases.All, .. UpstreamScenarioCases.All, .. Ipv6Cases.All, .. Replies,
    ];

    public static TheoryData<string> Names => [.. All.Where(c => c.Name != NadMissing).Select(c => c.Name)];

    public static E2eCase Find(string name) => All.Single(c => c.Name == name);

    /// <summary>The dual-stack cases (pods with both families, blocks of one family): probed in both families.</summary>
    public static bool IsDualStack(E2eCase testCase) => testCase.Name.StartsWith("dual stack", StringComparison.Ordinal);

    public static bool ProbesOnTheWire(PortExpectation expectation) => expectation.Protocol != Protocol.Sctp;
}
