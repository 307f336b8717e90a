using Mnp.Policy.Spec;

namespace Mnp.Tests.Unit.Support;

/// <summary>A compact one-line form of a policy spec, for readable FsCheck counterexamples.</summary>
public static class SpecText
{
    public static string Of(PolicySpec? spec) =>
        spec is null
            ? "UNPARSABLE"
            : $"select {{{Selector(spec.PodSelector)}}}{(spec.AffectsIngress ? $" ingress [{Rules(spec.Ingress)}]" : "")}{(spec.AffectsEgress ? $" egress [{Rules(spec.Egress)}]" : "")}";

    private static string Rules(ImmutableArray<PolicyRule> rules) => string.Join("; ", rules.Select(Rule));

    private static string Rule(PolicyRule rule) =>
        $"#{rule.Index} peers={(rule.AnyPeer ? "any" : $"({string.Join(" | ", rule.Peers.Select(Peer))})")} " +
        $"ports={(rule.AnyPort ? "any" : $"({string.Join(" | ", rule.Ports.Select(Port))})")}";

    private static string Peer(Peer peer) => peer switch
    {
        IpBlockPeer block => $"ipBlock {block.Cidr}{(block.Except.IsDefaultOrEmpty ? "" : $" except {string.Join(",", block.Except)}")}",
        PodPeer pods => $"{(pods.NamespaceSelector is null ? "" : $"ns{{{Selector(pods.NamespaceSelector)}}} ")}pods{{{Selector(pods.PodSelector)}}}",
        _ => peer.ToString() ?? "",
    };

    private static string Port(PortSpec port) =>
        $"{port.Protocol.ToString().ToUpperInvariant()}/{port.Name ?? (port.Port is null ? "*" : port.EndPort is null ? $"{port.Port}" : $"{port.Port}-{port.EndPort}")}";

    private static string Selector(LabelSelector selector) =>
        string.Join(",", selector.Requirements.Select(r => $"{r.Key} {r.Operator} [{string.Join(",", r.Values)}]"));
}
