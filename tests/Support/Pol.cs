using Mnp.Policy.Cluster;
using Mnp.Policy.Spec;

namespace Mnp.Tests.Support;

/// <summary>
/// Short forms for policies in tests, shaped like the notation of docs/testing.md §3: <c>Pol.Ingress("x", "p", Sel.All)</c>
/// with rules <c>Pol.Rule(from: [...], ports: [...])</c>; null peers/ports mean "absent" (any).
/// </summary>
public static class Pol
{
    public const string DefaultNetwork = "x/net1";

    /// <summary>A policy with the given policyTypes; rules are re-indexed by position.</summary>
    public static PolicyInfo Make(
        string ns,
        string name,
        LabelSelector podSelector,
        bool ingressType,
        bool egressType,
        IEnumerable<PolicyRule>? ingress = null,
        IEnumerable<PolicyRule>? egress = null,
        params string[] policyFor)
    {
        var networks = (policyFor.Length == 0 ? [DefaultNetwork] : policyFor)
            .Select(n => NetworkRef.TryParse(n, ns, out var network) ? network : throw new ArgumentException(n, nameof(policyFor)))
            .ToImmutableArray();
        return new PolicyInfo(ns, name, networks, new PolicySpec(podSelector, ingressType, egressType, Indexed(ingress), Indexed(egress)));
    }

    /// <summary>policyTypes [Ingress] with these ingress rules (empty = deny all ingress).</summary>
    public static PolicyInfo Ingress(string ns, string name, LabelSelector podSelector, params PolicyRule[] rules) =>
        Make(ns, name, podSelector, true, false, rules);

    /// <summary>policyTypes [Egress] with these egress rules (empty = deny all egress).</summary>
    public static PolicyInfo Egress(string ns, string name, LabelSelector podSelector, params PolicyRule[] rules) =>
        Make(ns, name, podSelector, false, true, null, rules);

    /// <summary>A policy whose spec could not be understood (fail closed).</summary>
    public static PolicyInfo Unparsable(string ns, string name, params string[] policyFor) =>
        new(ns, name, [.. (policyFor.Length == 0 ? [DefaultNetwork] : policyFor).Select(n => { NetworkRef.TryParse(n, ns, out var r); return r; })], null);

    public static PolicyRule Rule(IEnumerable<Peer>? peers = null, IEnumerable<PortSpec>? ports = null) =>
        new(0, peers is null, [.. peers ?? []], ports is null, [.. ports ?? []]);

    /// <summary><c>ingress: [{}]</c> / <c>egress: [{}]</c>.</summary>
    public static PolicyRule AllowAll => Rule();

    public static PodPeer Pods(LabelSelector podSelector) => new(null, podSelector);

    public static PodPeer PodsIn(LabelSelector namespaces, LabelSelector pods) => new(namespaces, pods);

    public static Peer Namespaces(LabelSelector namespaceSelector) => new PodPeer(namespaceSelector, LabelSelector.Everything);

    public static Peer NsPods(LabelSelector namespaceSelector, LabelSelector podSelector) => new PodPeer(namespaceSelector, podSelector);

    public static IpBlockPeer Block(string cidr, params string[] except) =>
        new(IPNetwork.Parse(cidr), [.. except.Select(IPNetwork.Parse)]);

    public static PortSpec Tcp(int port, int? endPort = null) => new(Protocol.Tcp, port, endPort, null);

    public static PortSpec Udp(int port, int? endPort = null) => new(Protocol.Udp, port, endPort, null);

    public static PortSpec Sctp(int port, int? endPort = null) => new(Protocol.Sctp, port, endPort, null);

    public static PortSpec AllOf(Protocol protocol) => new(protocol, null, null, null);

    public static PortSpec Named(string name, Protocol protocol = Protocol.Tcp) => new(protocol, null, null, name);

    /// <summary>policyTypes [Ingress] on the comma-separated <paramref name="policyFor"/> networks.</summary>
    public static PolicyInfo Ingress(string ns, string name, LabelSelector podSelector, string policyFor, params PolicyRule[] rules) =>
        Make(ns, name, podSelector, true, false, rules, null, policyFor.Split(',', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>policyTypes [Egress] on the comma-separated <paramref name="policyFor"/> networks.</summary>
    public static PolicyInfo Egress(string ns, string name, LabelSelector podSelector, string policyFor, params PolicyRule[] rules) =>
        Make(ns, name, podSelector, false, true, null, rules, policyFor.Split(',', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Both types given explicitly, on the comma-separated <paramref name="policyFor"/> networks.</summary>
    public static PolicyInfo Make(
        string ns, string name, LabelSelector podSelector, string policyFor, bool ingress, bool egress, PolicyRule[] ingressRules, PolicyRule[] egressRules) =>
        Make(ns, name, podSelector, ingress, egress, ingressRules, egressRules, policyFor.Split(',', StringSplitOptions.RemoveEmptyEntries));

    public static PortSpec Range(Protocol protocol, int from, int to) => new(protocol, from, to, null);

    /// <summary>The e2e suite's container port <c>serve-PORT-PROTO</c>.</summary>
    public static ContainerPort Serve(int port, Protocol protocol = Protocol.Tcp) =>
        new($"serve-{port}-{protocol.ToString().ToLowerInvariant()}", port, protocol);

    private static ImmutableArray<PolicyRule> Indexed(IEnumerable<PolicyRule>? rules) =>
        [.. (rules ?? []).Select((r, i) => r with { Index = i })];
}
