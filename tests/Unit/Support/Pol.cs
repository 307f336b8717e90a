using Mnp.Policy.Cluster;
using Mnp.Policy.Spec;

namespace Mnp.Tests.Unit.Support;

/// <summary>Short forms for policies, rules, peers and ports in tests. A null peer or port list means "any".</summary>
public static class Pol
{
    public static PolicyInfo Ingress(string ns, string name, LabelSelector podSelector, string policyFor, params PolicyRule[] rules) =>
        Make(ns, name, podSelector, policyFor, true, false, rules, []);

    public static PolicyInfo Egress(string ns, string name, LabelSelector podSelector, string policyFor, params PolicyRule[] rules) =>
        Make(ns, name, podSelector, policyFor, false, true, [], rules);

    public static PolicyInfo Make(
        string ns, string name, LabelSelector podSelector, string policyFor, bool ingress, bool egress, PolicyRule[] ingressRules, PolicyRule[] egressRules) =>
        new(ns, name, Networks(ns, policyFor), new PolicySpec(podSelector, ingress, egress, Indexed(ingressRules), Indexed(egressRules)));

    /// <summary>A policy whose spec could not be understood (fail closed).</summary>
    public static PolicyInfo Unparsable(string ns, string name, string policyFor) => new(ns, name, Networks(ns, policyFor), null);

    public static PolicyRule Rule(Peer[]? peers = null, PortSpec[]? ports = null) =>
        new(0, peers is null, [.. peers ?? []], ports is null, [.. ports ?? []]);

    public static PodPeer Pods(LabelSelector pods) => new(null, pods);

    public static PodPeer PodsIn(LabelSelector namespaces, LabelSelector pods) => new(namespaces, pods);

    public static IpBlockPeer Block(string cidr, params string[] except) =>
        new(IPNetwork.Parse(cidr), [.. except.Select(IPNetwork.Parse)]);

    public static PortSpec Tcp(int port) => new(Protocol.Tcp, port, null, null);

    public static PortSpec Udp(int port) => new(Protocol.Udp, port, null, null);

    public static PortSpec Sctp(int port) => new(Protocol.Sctp, port, null, null);

    public static PortSpec Range(Protocol protocol, int from, int to) => new(protocol, from, to, null);

    public static PortSpec AllOf(Protocol protocol) => new(protocol, null, null, null);

    public static PortSpec Named(string name, Protocol protocol = Protocol.Tcp) => new(protocol, null, null, name);

    public static ContainerPort Serve(int port, Protocol protocol = Protocol.Tcp) =>
        new($"serve-{port}-{protocol.ToString().ToLowerInvariant()}", port, protocol);

    private static ImmutableArray<NetworkRef> Networks(string ns, string policyFor) =>
        [.. policyFor.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(text =>
        {
            NetworkRef.TryParse(text, ns, out var network);
            return network;
        })];

    private static ImmutableArray<PolicyRule> Indexed(PolicyRule[] rules) => [.. rules.Select((rule, index) => rule with { Index = index })];
}
