using System.Globalization;
using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Spec;

namespace Mnp.Tests.Support.E2e;

/// <summary>
/// The e2e cluster model on a secondary network (docs/testing.md §1, §2) and the notation of its §3 as C#:
/// namespaces x, y, z; pods a, b, c labelled <c>pod: name</c>, each declaring serve-{80,81}-{tcp,udp,sctp};
/// all on macvlan NAD x/net1 with 10.9.N.P and fd00:9::N:P (N = 1..3 for x..z, P = 1..3 for a..c).
/// </summary>
public static class E2eModel
{
    public const string NetworkName = "x/net1";
    public const string NameLabel = "kubernetes.io/metadata.name";

    public static NetworkRef Net1 { get; } = new("x", "net1");

    public static ImmutableArray<ContainerPort> ServePorts { get; } =
    [
        .. new[] { 80, 81 }.SelectMany(port => new[] { Protocol.Tcp, Protocol.Udp, Protocol.Sctp }
            .Select(protocol => new ContainerPort($"serve-{port}-{protocol.ToString().ToLowerInvariant()}", port, protocol))),
    ];

    /// <summary>The pod's address on x/net1 (<paramref name="offset"/> shifts the third octet/group for a second NAD).</summary>
    public static string Ip(string pod, IpFamily family = IpFamily.V4, int offset = 0)
    {
        var (ns, name) = Split(pod);
        var n = ns[0] - 'x' + 1 + offset;
        var p = name[0] - 'a' + 1;
        return family == IpFamily.V4
            ? string.Create(CultureInfo.InvariantCulture, $"10.9.{n}.{p}")
            : string.Create(CultureInfo.InvariantCulture, $"fd00:9::{n}:{p}");
    }

    /// <summary><c>IP/32</c> or <c>IP/128</c>.</summary>
    public static string HostCidr(string pod, IpFamily family = IpFamily.V4) => $"{Ip(pod, family)}/{(family == IpFamily.V4 ? 32 : 128)}";

    /// <summary>The network of <paramref name="prefix"/> bits holding the pod's address (the suite's "/4 containing").</summary>
    public static string Containing(string pod, int prefix, IpFamily family = IpFamily.V4)
    {
        var bytes = IPAddress.Parse(Ip(pod, family)).GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return $"{new IPAddress(bytes)}/{prefix}";
    }

    /// <summary>The standard cluster: x, y, z, NAD x/net1 (macvlan), and the listed pods, dual stack.</summary>
    public static Action<TestCluster> Standard(IEnumerable<string> pods, string nadType = "macvlan") => cluster =>
    {
        cluster.Namespace("x").Namespace("y").Namespace("z").Network("x", "net1", nadType);
        foreach (var pod in pods)
        {
            var (ns, name) = Split(pod);
            cluster.Pod(ns, name, [("pod", name)], [(NetworkName, "net1", [Ip(pod), Ip(pod, IpFamily.V6)])], ServePorts);
        }
    };

    public static E2eCase Case(string name, string pods, params E2eStep[] steps) =>
        Case(name, pods, IpFamily.V4, steps);

    public static E2eCase Case(string name, string pods, IpFamily family, params E2eStep[] steps)
    {
        var list = pods.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToImmutableArray();
        return new E2eCase(name, list, Standard(list), Net1, family, [.. steps]);
    }

    public static E2eStep Step(Action<TestCluster> change, params PortExpectation[] expectations) =>
        new(string.Empty, change, [.. expectations]);

    /// <summary>A step that adds (or replaces, by name) these policies.</summary>
    public static E2eStep Apply(PolicyInfo[] policies, params PortExpectation[] expectations) =>
        new($"apply {string.Join(", ", policies.Select(p => p.Key))}", c => { foreach (var p in policies) { c.Policy(p); } }, [.. expectations]);

    public static E2eStep Apply(PolicyInfo policy, params PortExpectation[] expectations) => Apply([policy], expectations);

    public static PortExpectation On(int port, Protocol protocol, params Override[] overrides) => new(port, protocol, [.. overrides]);

    public static PortExpectation AtTcp(int port, params Override[] overrides) => On(port, Protocol.Tcp, overrides);

    public static PortExpectation AtUdp(int port, params Override[] overrides) => On(port, Protocol.Udp, overrides);

    public static PortExpectation AtSctp(int port, params Override[] overrides) => On(port, Protocol.Sctp, overrides);

    public static Override Deny(string from, string to) => new(from, to, false);

    public static Override Allow(string from, string to) => new(from, to, true);

    /// <summary><c>{pod: name}</c>.</summary>
    public static LabelSelector PodIs(string name) => Sel.Labels(("pod", name));

    /// <summary><c>name In [...]</c> on the namespace name label.</summary>
    public static LabelSelector NameIn(params string[] names) => Sel.In(NameLabel, names);

    /// <summary><c>name NotIn [...]</c> on the namespace name label.</summary>
    public static LabelSelector NameNotIn(params string[] names) => Sel.NotIn(NameLabel, names);

    public static IpFamily FamilyOf(string address) =>
        IPAddress.Parse(address).AddressFamily == AddressFamily.InterNetworkV6 ? IpFamily.V6 : IpFamily.V4;

    private static (string Ns, string Name) Split(string pod)
    {
        var slash = pod.IndexOf('/', StringComparison.Ordinal);
        return (pod[..slash], pod[(slash + 1)..]);
    }
}
