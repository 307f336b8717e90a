using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Compiler;

/// <summary>
/// Compiles pods over one <see cref="CompilerIndex"/>: which policies select a pod, and what each of their rules
/// allows on each managed interface, within the expansion limit. Peer and named-port resolution (and their caches)
/// live in <see cref="PeerResolver"/> and <see cref="NamedPortResolver"/>; a from-scratch compile makes one context
/// over a snapshot, the agent keeps one whose index it updates (<see cref="IncrementalCompiler"/>).
/// </summary>
internal sealed class CompilationContext
{
    private readonly CompilerIndex _index;
    private readonly int _maxEntriesPerDirection;
    private readonly Allowance? _customIngress;
    private readonly Allowance? _customEgress;

    public CompilationContext(ClusterSnapshot snapshot, PolicyOptions options)
        : this(new CompilerIndex(options))
    {
        _index.Load(snapshot);
    }

    public CompilationContext(CompilerIndex index)
    {
        _index = index;
        _maxEntriesPerDirection = index.Options.MaxEntriesPerDirection;
        _customIngress = CustomAllowance(index.Options.CustomRules, Direction.Ingress);
        _customEgress = CustomAllowance(index.Options.CustomRules, Direction.Egress);
        Peers = new PeerResolver(index);
        NamedPorts = new NamedPortResolver(index);
    }

    public PeerResolver Peers { get; }

    public NamedPortResolver NamedPorts { get; }

    public PodRules? CompilePod(PodInfo pod)
    {
        var selecting = SelectingPolicies(pod);
        var interfaces = new List<InterfaceRules>();
        var problems = ImmutableArray.CreateBuilder<Problem>();
        foreach (var iface in pod.Interfaces)
        {
            if (!_index.IsManaged(iface.Network))
            {
                continue;
            }

            interfaces.Add(new InterfaceRules(
                iface.Interface,
                iface.Network,
                iface.Addresses,
                CompileDirection(pod, iface, Direction.Ingress, selecting, problems),
                CompileDirection(pod, iface, Direction.Egress, selecting, problems)));
        }

        if (interfaces.Count == 0)
        {
            return null;
        }

        interfaces.Sort((a, b) => string.CompareOrdinal(a.Interface, b.Interface));
        return new PodRules(pod, [.. interfaces]) { Problems = problems.ToImmutable() };
    }

    /// <summary>Policies of the pod's namespace whose podSelector selects it (an unparsable spec selects every pod).</summary>
    private List<PolicyInfo> SelectingPolicies(PodInfo pod)
    {
        var selecting = new List<PolicyInfo>();
        var candidates = _index.PoliciesIn(pod.Namespace);
        foreach (var policy in candidates)
        {
            if (policy.Spec is null || policy.Spec.PodSelector.Matches(pod.Labels))
            {
                selecting.Add(policy);
            }
        }

        return selecting;
    }

    private DirectionRules CompileDirection(
        PodInfo pod, PodInterface iface, Direction direction, List<PolicyInfo> selecting, ImmutableArray<Problem>.Builder problems)
    {
        var network = iface.Network;
        var names = ImmutableArray.CreateBuilder<string>();
        var allowances = new List<Allowance>();
        var ruleAllowances = new List<Allowance>();
        long entries = 0;
        foreach (var policy in selecting)
        {
            if (!PolicyNetworks.AppliesTo(policy, network))
            {
                continue;
            }

            var spec = policy.Spec;
            if (spec is null)
            {
                names.Add(policy.Key);
                continue;
            }

            var affects = direction == Direction.Ingress ? spec.AffectsIngress : spec.AffectsEgress;
            if (!affects)
            {
                continue;
            }

            names.Add(policy.Key);
            var rules = direction == Direction.Ingress ? spec.Ingress : spec.Egress;
            foreach (var rule in rules)
            {
                // Rules are admitted in policy-name and rule order while the direction stays within the limit; one that
                // would pass it is refused whole (never half a rule), so the result is deterministic and never wider.
                ruleAllowances.Clear();
                AddAllowances(policy, direction, rule, network, pod, ruleAllowances);
                var cost = ExpansionLimit.Entries(ruleAllowances);
                if (entries + cost > _maxEntriesPerDirection)
                {
                    problems.Add(Refused(policy, direction, rule, pod, iface, cost, entries));
                    continue;
                }

                entries += cost;
                allowances.AddRange(ruleAllowances);
            }
        }

        if (names.Count == 0)
        {
            return DirectionRules.Open;
        }

        if ((direction == Direction.Ingress ? _customIngress : _customEgress) is { } custom)
        {
            allowances.Add(custom); // the operator's extra prefixes, after every policy, outside the policies' limit
        }

        return new DirectionRules(true, names.ToImmutable(), [.. allowances]);
    }

    private Problem Refused(PolicyInfo policy, Direction direction, PolicyRule rule, PodInfo pod, PodInterface iface, long cost, long admitted)
    {
        var field = $"spec.{(direction == Direction.Ingress ? "ingress" : "egress")}[{rule.Index}]";
        var already = admitted == 0 ? string.Empty : $" after {admitted} from earlier rules";
        return new Problem(
            Input.MultiNetworkPolicyParser.Kind,
            policy.Namespace,
            policy.Name,
            field,
            $"on pod {pod.Key} interface {iface.Interface}: {cost} match entries (peers x ports){already} pass the limit of " +
            $"{_maxEntriesPerDirection} per interface and direction: the rule allows nothing there");
    }

    private void AddAllowances(PolicyInfo policy, Direction direction, PolicyRule rule, NetworkRef network, PodInfo target, List<Allowance> allowances)
    {
        var origin = new RuleOrigin(policy.Key, direction, rule.Index);
        var peers = rule.AnyPeer ? null : Peers.Resolve(policy, direction, rule, network);
        if (peers is not null && peers.Matches.IsEmpty)
        {
            return; // a peer list that matches nothing still isolates, but allows nothing
        }

        var matches = peers?.Matches ?? [];
        if (rule.AnyPort)
        {
            allowances.Add(new Allowance(origin, rule.AnyPeer, matches, true, []));
            return;
        }

        var ports = new List<PortRange>();
        var hasNamedPort = false;
        foreach (var port in rule.Ports)
        {
            if (port.Name is null)
            {
                ports.Add(port.Port is int from ? new PortRange(port.Protocol, from, port.EndPort ?? from) : PortRange.All(port.Protocol));
            }
            else if (direction == Direction.Ingress)
            {
                NamedPorts.AddNamedPort(target, port, ports); // ingress: the destination is the selected pod itself
            }
            else
            {
                hasNamedPort = true;
            }
        }

        if (ports.Count > 0)
        {
            allowances.Add(new Allowance(origin, rule.AnyPeer, matches, false, PortSet.Normalize(ports)));
        }

        if (hasNamedPort)
        {
            // Egress named ports depend on the destinations only, so every selected source pod shares them.
            allowances.AddRange(NamedPorts.Egress(policy, origin, rule, network, peers));
        }
    }

    /// <summary>The custom-rules file's prefixes as one allowance (any port) of every isolated direction; null when it has none.</summary>
    private static Allowance? CustomAllowance(CustomRules rules, Direction direction)
    {
        var prefixes = rules.For(direction).Prefixes;
        return prefixes.IsDefaultOrEmpty ? null
            : new Allowance(new RuleOrigin(CustomRules.Origin, direction, 0), false, PeerSet.Normalize([.. prefixes.Select(p => new PeerMatch(p, []))]), true, []);
    }

    internal static IPNetwork HostNetwork(IPAddress address) =>
        new(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
}
