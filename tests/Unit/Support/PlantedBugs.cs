using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Tests.Unit.Support;

/// <summary>Deliberately wrong pipelines (test code only) that the agreement property must catch.</summary>
public static class PlantedBugs
{
    /// <summary>The renderer forgets the RETURN rules of except chains: except no longer narrows its ipBlock.</summary>
    public static PipelineMutation DropExceptReturns { get; } = new(
        "drop except RETURN rules",
        Table: table => table with
        {
            Chains = [.. table.Chains.Select(c => c with { Rules = [.. c.Rules.Where(r => r.Target.Kind != RuleTargetKind.Return)] })],
        });

    /// <summary>An off-by-one in the compiler: every numeric port range reaches one port further.</summary>
    public static PipelineMutation WidenPortRangesByOne { get; } = new(
        "widen port ranges by one",
        Rules: pod => pod with { Interfaces = [.. pod.Interfaces.Select(i => i with { Ingress = Widen(i.Ingress), Egress = Widen(i.Egress) })] });

    /// <summary>The Go reference's reading: a podSelector peer without namespaceSelector matches pods of every namespace.</summary>
    public static PipelineMutation PodSelectorIgnoresNamespace { get; } = new(
        "podSelector peer ignores the policy namespace",
        Snapshot: snapshot => snapshot with { Policies = [.. snapshot.Policies.Select(EveryNamespace)] });

    /// <summary>The renderer keeps only the first multiport chunk of a port list longer than one match holds.</summary>
    public static PipelineMutation FirstMultiportChunkOnly { get; } = new(
        "only the first multiport chunk",
        Table: table => table with { Chains = [.. table.Chains.Select(c => c with { Rules = FirstChunks(c.Rules) })] });

    public static IReadOnlyDictionary<string, PipelineMutation> All { get; } =
        new[] { DropExceptReturns, WidenPortRangesByOne, PodSelectorIgnoresNamespace, FirstMultiportChunkOnly }.ToDictionary(m => m.Name);

    /// <summary>Drops a port rule that continues the previous one (same target, protocol and addresses).</summary>
    private static ImmutableArray<NetfilterRule> FirstChunks(ImmutableArray<NetfilterRule> rules) =>
        [.. rules.Where((rule, i) => i == 0 || !Continues(rules[i - 1], rule))];

    private static bool Continues(NetfilterRule previous, NetfilterRule rule) =>
        !previous.DestinationPorts.IsDefaultOrEmpty && !rule.DestinationPorts.IsDefaultOrEmpty
        && previous.Target == rule.Target && previous.Protocol == rule.Protocol
        && Equals(previous.Source, rule.Source) && Equals(previous.Destination, rule.Destination);

    private static DirectionRules Widen(DirectionRules rules) => rules with
    {
        Allowances = [.. rules.Allowances.Select(a => a with { Ports = [.. a.Ports.Select(p => p.IsAllPorts || p.To == PortRange.MaxPort ? p : p with { To = p.To + 1 })] })],
    };

    private static PolicyInfo EveryNamespace(PolicyInfo policy) => policy.Spec is not { } spec ? policy : policy with
    {
        Spec = spec with { Ingress = [.. spec.Ingress.Select(EveryNamespace)], Egress = [.. spec.Egress.Select(EveryNamespace)] },
    };

    private static PolicyRule EveryNamespace(PolicyRule rule) => rule with
    {
        Peers = [.. rule.Peers.Select(p => p is PodPeer { NamespaceSelector: null } pods ? pods with { NamespaceSelector = LabelSelector.Everything } : p)],
    };
}
