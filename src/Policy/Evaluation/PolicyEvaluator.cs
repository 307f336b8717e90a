using System.Globalization;
using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Evaluation;

/// <summary>
/// An independent decision procedure for docs/semantics.md, straight over the <see cref="ClusterSnapshot"/> records
/// (it never uses the compiled Rules/ model, so that compiler and evaluator can be checked against each other).
/// Indexes are built once; every query is read-only, so one instance may serve many threads.
/// </summary>
public sealed class PolicyEvaluator
{
    private readonly ClusterSnapshot _snapshot;
    private readonly Dictionary<string, PodInfo> _podsByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableDictionary<string, string>> _namespaceLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PolicyInfo>> _policiesByNamespace = new(StringComparer.Ordinal);
    private readonly HashSet<NetworkRef> _managedNetworks = [];

    /// <summary>Pods holding an address, per network; policy endpoints first, then by key (for IP ends).</summary>
    private readonly Dictionary<(NetworkRef Network, IPAddress Address), List<PodInfo>> _holders = [];

    public PolicyEvaluator(ClusterSnapshot snapshot, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        _snapshot = snapshot;
        foreach (var pod in snapshot.Pods.OrderByDescending(p => p.IsPolicyEndpoint).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            _podsByKey.TryAdd(pod.Key, pod);
            foreach (var address in pod.Interfaces.SelectMany(i => i.Addresses.Select(a => (i.Network, a))))
            {
                if (!_holders.TryGetValue(address, out var holders))
                {
                    _holders[address] = holders = [];
                }

                // Pods are added one at a time, so a repeat of this pod can only be the last holder (a scan was quadratic).
                if (holders.Count == 0 || !ReferenceEquals(holders[^1], pod))
                {
                    holders.Add(pod);
                }
            }
        }

        foreach (var ns in snapshot.Namespaces)
        {
            _namespaceLabels[ns.Name] = ns.Labels;
        }

        foreach (var policy in snapshot.Policies)
        {
            if (!_policiesByNamespace.TryGetValue(policy.Namespace, out var list))
            {
                _policiesByNamespace[policy.Namespace] = list = [];
            }

            list.Add(policy);
        }

        foreach (var network in snapshot.Networks)
        {
            if (network.PluginType is not null && options.ManagedPlugins.Contains(network.PluginType))
            {
                _managedNetworks.Add(network.Ref);
            }
        }
    }

    public ClusterSnapshot Snapshot => _snapshot;

    /// <summary>True when the network's NAD exists and its CNI type is in the managed plugin list.</summary>
    public bool IsManaged(NetworkRef network) => _managedNetworks.Contains(network);

    /// <summary>Resolves the query as docs/cli.md §3 says and decides it; throws <see cref="TraceException"/> on a query it cannot answer.</summary>
    public TraceResult Trace(ConnectionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var network = query.Network ?? ResolveNetwork(query.From, query.To);
        var family = ResolveFamily(query, network);
        var from = ResolveEnd(query.From, network, family);
        var to = ResolveEnd(query.To, network, family);
        var port = ResolvePort(query.Port, query.Protocol, to.Pod);
        return Decide(from, to, network, family, port, query.Protocol);
    }

    /// <summary>
    /// Decides a connection between two already resolved ends (either may be a pod, which must have
    /// <paramref name="fromAddress"/>/<paramref name="toAddress"/> on <paramref name="network"/>).
    /// </summary>
    public TraceResult Decide(PodInfo? fromPod, IPAddress fromAddress, PodInfo? toPod, IPAddress toAddress, NetworkRef network, int port, Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(fromAddress);
        ArgumentNullException.ThrowIfNull(toAddress);
        var family = toAddress.AddressFamily == AddressFamily.InterNetworkV6 ? IpFamily.V6 : IpFamily.V4;
        return Decide(new ResolvedEnd(fromPod, fromAddress), new ResolvedEnd(toPod, toAddress), network, family, port, protocol);
    }

    /// <summary>The verdict of every ordered pair of distinct pods sharing a network, as <c>mnp matrix</c> prints it.</summary>
    public ImmutableArray<ReachabilityFlow> Reachability(ReachabilityRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var flows = ImmutableArray.CreateBuilder<ReachabilityFlow>();
        var networks = request.Network is { } only
            ? [only]
            : _snapshot.Pods.SelectMany(p => p.Interfaces).Select(i => i.Network).Distinct().Order().ToList();
        var pods = _snapshot.Pods.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        foreach (var network in networks)
        {
            foreach (var family in request.IteratedFamilies)
            {
                var members = pods
                    .Select(p => (Pod: p, Address: AddressOn(p, network, family)))
                    .Where(m => m.Address is not null)
                    .ToList();
                foreach (var source in members)
                {
                    foreach (var destination in members)
                    {
                        // With the shared-family rule a dual-stack pair is shown once, in IPv4.
                        if (ReferenceEquals(source.Pod, destination.Pod)
                            || (request.SharedFamilyOnly && family == IpFamily.V6
                                && AddressOn(source.Pod, network, IpFamily.V4) is not null && AddressOn(destination.Pod, network, IpFamily.V4) is not null))
                        {
                            continue;
                        }

                        foreach (var (port, protocol) in request.PortsFor(destination.Pod))
                        {
                            var result = Decide(
                                new ResolvedEnd(source.Pod, source.Address!),
                                new ResolvedEnd(destination.Pod, destination.Address!),
                                network,
                                family,
                                port,
                                protocol);
                            flows.Add(new ReachabilityFlow(source.Pod.Key, destination.Pod.Key, network, destination.Address!, port, protocol, result.Allowed));
                        }
                    }
                }
            }
        }

        return flows.ToImmutable();
    }

    private TraceResult Decide(ResolvedEnd from, ResolvedEnd to, NetworkRef network, IpFamily family, int port, Protocol protocol)
    {
        var managed = IsManaged(network);
        var connection = new EvaluatedConnection(from, to, network, port, protocol);
        var egress = DecideDirection(Direction.Egress, from.Pod, to, connection, managed);
        var ingress = DecideDirection(Direction.Ingress, to.Pod, from, connection, managed);
        return new TraceResult(
            new TraceEndpoint(from.Pod?.Key, from.Address),
            new TraceEndpoint(to.Pod?.Key, to.Address),
            network,
            managed,
            family,
            port,
            protocol,
            egress,
            ingress);
    }

    private DirectionTrace DecideDirection(Direction direction, PodInfo? local, ResolvedEnd remote, EvaluatedConnection connection, bool managed)
    {
        var side = direction == Direction.Egress ? "source" : "destination";
        if (local is null)
        {
            return Open($"the {side} is not a pod: never isolated");
        }

        if (!local.IsPolicyEndpoint)
        {
            return Open($"{local.Key} is not a policy target (not Running, or hostNetwork)");
        }

        if (!managed)
        {
            return Open($"network {connection.Network} is not managed (NAD missing or its CNI type is not in the plugin list)");
        }

        var selecting = SelectingPolicies(local, direction, connection.Network);
        if (selecting.Count == 0)
        {
            return Open($"no policy for {connection.Network} selects {local.Key} for {Name(direction)}");
        }

        var matches = ImmutableArray.CreateBuilder<RuleMatch>();
        foreach (var policy in selecting)
        {
            var rules = policy.Spec is null ? [] : direction == Direction.Ingress ? policy.Spec.Ingress : policy.Spec.Egress;
            foreach (var rule in rules)
            {
                if (MatchRule(policy, rule, remote, connection) is { } match)
                {
                    matches.Add(match);
                }
            }
        }

        var names = selecting.Select(p => p.Key).ToImmutableArray();
        var allowed = matches.Count > 0;
        var reason = allowed
            ? $"isolated by {string.Join(", ", names)}; allowed by {string.Join(", ", matches.Select(m => $"{m.Policy} rule {m.Rule}"))}"
            : $"isolated by {string.Join(", ", names)}; no rule matches";
        return new DirectionTrace(allowed, true, names, matches.ToImmutable(), reason);
    }

    private static DirectionTrace Open(string reason) => new(true, false, [], [], reason);

    private static string Name(Direction direction) => direction == Direction.Ingress ? "ingress" : "egress";

    /// <summary>Policies of the pod's namespace, for this network, that select the pod in this direction; an unparsable policy selects every pod of its namespace in both.</summary>
    private List<PolicyInfo> SelectingPolicies(PodInfo pod, Direction direction, NetworkRef network)
    {
        var selecting = new List<PolicyInfo>();
        if (!_policiesByNamespace.TryGetValue(pod.Namespace, out var policies))
        {
            return selecting;
        }

        foreach (var policy in policies)
        {
            if (!PolicyNetworks.AppliesTo(policy, network))
            {
                continue;
            }

            var spec = policy.Spec;
            var selects = spec is null
                || ((direction == Direction.Ingress ? spec.AffectsIngress : spec.AffectsEgress) && spec.PodSelector.Matches(pod.Labels));
            if (selects)
            {
                selecting.Add(policy);
            }
        }

        selecting.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return selecting;
    }

    private RuleMatch? MatchRule(PolicyInfo policy, PolicyRule rule, ResolvedEnd remote, EvaluatedConnection connection)
    {
        var (peerKind, peerIndex) = (PeerKind.Any, (int?)null);
        if (!rule.AnyPeer)
        {
            var found = MatchPeer(policy, rule.Peers, remote, connection.Network);
            if (found is null)
            {
                return null;
            }

            (peerKind, peerIndex) = (found.Value.Kind, found.Value.Index);
        }

        if (rule.AnyPort)
        {
            return new RuleMatch(policy.Key, rule.Index, peerKind, peerIndex, null, "any");
        }

        for (var i = 0; i < rule.Ports.Length; i++)
        {
            if (MatchPort(rule.Ports[i], connection) is { } description)
            {
                return new RuleMatch(policy.Key, rule.Index, peerKind, peerIndex, i, description);
            }
        }

        return null;
    }

    private (PeerKind Kind, int Index)? MatchPeer(PolicyInfo policy, ImmutableArray<Peer> peers, ResolvedEnd remote, NetworkRef network)
    {
        for (var i = 0; i < peers.Length; i++)
        {
            switch (peers[i])
            {
                case IpBlockPeer block when InBlock(block, remote.Address):
                    return (PeerKind.IpBlock, i);
                case PodPeer podPeer when remote.Pod is { } pod && IsSelectorPeer(policy, podPeer, pod, network):
                    var kind = podPeer.NamespaceSelector is null ? PeerKind.PodSelector
                        : podPeer.PodSelector.Requirements.IsEmpty ? PeerKind.NamespaceSelector
                        : PeerKind.NamespaceAndPodSelector;
                    return (kind, i);
                default:
                    break;
            }
        }

        return null;
    }

    private static bool InBlock(IpBlockPeer block, IPAddress address)
    {
        if (!block.Cidr.Contains(address))
        {
            return false;
        }

        foreach (var excluded in block.Except)
        {
            if (excluded.Contains(address))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A selector peer must be a policy endpoint with an interface on the policy's network (it contributes only those addresses).</summary>
    private bool IsSelectorPeer(PolicyInfo policy, PodPeer peer, PodInfo pod, NetworkRef network)
    {
        if (!pod.IsPolicyEndpoint || !pod.Interfaces.Any(i => i.Network == network))
        {
            return false;
        }

        // A namespace the snapshot does not hold has unknown labels, so no namespaceSelector matches it (fail closed,
        // as the compiler does): manifests get implicit namespaces with their name label from the snapshot builder,
        // and on a live cluster a missing namespace is one the watch has not delivered yet.
        var namespaceMatches = peer.NamespaceSelector is null
            ? pod.Namespace == policy.Namespace
            : _namespaceLabels.TryGetValue(pod.Namespace, out var labels) && peer.NamespaceSelector.Matches(labels);
        return namespaceMatches && peer.PodSelector.Matches(pod.Labels);
    }

    private static string? MatchPort(PortSpec spec, EvaluatedConnection connection)
    {
        if (spec.Protocol != connection.Protocol)
        {
            return null;
        }

        var protocol = connection.Protocol.ToString().ToUpperInvariant();
        if (spec.IsAllPorts)
        {
            return $"{protocol}/*";
        }

        if (spec.Port is { } first)
        {
            var last = spec.EndPort ?? first;
            return connection.Port >= first && connection.Port <= last
                ? (last == first ? $"{protocol}/{first}" : $"{protocol}/{first}-{last}")
                : null;
        }

        // A named port resolves on the destination pod only; an address destination never matches it, and
        // neither does a pod that is not a policy endpoint (not Running, hostNetwork): its address is a plain address.
        var destination = connection.To.Pod is { IsPolicyEndpoint: true } pod ? pod : null;
        var named = destination?.Ports.Any(p => p.Name == spec.Name && p.Protocol == spec.Protocol && p.Number == connection.Port) ?? false;
        return named ? $"{spec.Name} ({protocol}/{connection.Port})" : null;
    }

    /// <summary>
    /// An address end decides; else --family; else the family the pod ends share on the network (IPv4 when they
    /// share both, so the docs/cli.md §3 default only applies to dual-stack ends).
    /// </summary>
    private IpFamily ResolveFamily(ConnectionQuery query, NetworkRef network)
    {
        var implied = new[] { query.From.Address, query.To.Address }
            .Where(a => a is not null)
            .Select(a => a!.AddressFamily == AddressFamily.InterNetworkV6 ? IpFamily.V6 : IpFamily.V4)
            .Distinct()
            .ToList();
        if (implied.Count > 1)
        {
            throw new TraceException($"{query.From} and {query.To} are of different address families");
        }

        if (implied.Count == 1 && query.Family is { } asked && asked != implied[0])
        {
            throw new TraceException($"family {FamilyName(asked)} does not match address {query.From.Address ?? query.To.Address}");
        }

        if (implied.Count == 1)
        {
            return implied[0];
        }

        if (query.Family is { } given)
        {
            return given;
        }

        var shared = new[] { query.From.PodKey, query.To.PodKey }.OfType<string>()
            .Select(key => _podsByKey.TryGetValue(key, out var pod) ? FamiliesOn(pod, network) : [IpFamily.V4, IpFamily.V6])
            .Aggregate((IEnumerable<IpFamily>)[IpFamily.V4, IpFamily.V6], (all, end) => all.Intersect(end))
            .ToList();
        return shared.Count == 1 ? shared[0] : IpFamily.V4;
    }

    private static List<IpFamily> FamiliesOn(PodInfo pod, NetworkRef network) =>
        [.. new[] { IpFamily.V4, IpFamily.V6 }.Where(f => AddressOn(pod, network, f) is not null)];

    private NetworkRef ResolveNetwork(EndpointRef from, EndpointRef to)
    {
        var fromNetworks = CandidateNetworks(from);
        var toNetworks = CandidateNetworks(to);
        var shared = (fromNetworks ?? []).Intersect(toNetworks ?? []).Order().ToList();
        var bothPods = from.PodKey is not null && to.PodKey is not null;
        if (!bothPods && shared.Count == 0)
        {
            // An address end need not be on the pod's network (an external peer): the pod end's networks decide,
            // and of several, its only managed one.
            var podEnd = from.PodKey is not null ? fromNetworks : to.PodKey is not null ? toNetworks : null;
            shared = [.. (podEnd ?? (fromNetworks ?? []).Union(toNetworks ?? [])).Order()];
        }

        if (!bothPods && shared.Count > 1 && shared.Count(IsManaged) == 1)
        {
            shared = [.. shared.Where(IsManaged)];
        }

        return shared.Count switch
        {
            1 => shared[0],
            0 when fromNetworks is null && toNetworks is null =>
                throw new TraceException($"neither {from} nor {to} is a pod address: give the network"),
            0 => throw new TraceException($"{from} and {to} share no network"),
            _ => throw new TraceException($"{from} and {to} share several networks ({string.Join(", ", shared)}): give the network"),
        };
    }

    /// <summary>A pod end's networks; an address end's: those where a pod holds it, or null (unconstrained).</summary>
    private List<NetworkRef>? CandidateNetworks(EndpointRef end)
    {
        if (end.PodKey is not null)
        {
            return [.. FindPod(end.PodKey).Interfaces.Select(i => i.Network).Distinct()];
        }

        var holding = _holders.Keys.Where(k => k.Address.Equals(end.Address)).Select(k => k.Network).Distinct().ToList();
        return holding.Count == 0 ? null : holding;
    }

    private PodInfo FindPod(string key) =>
        _podsByKey.TryGetValue(key, out var pod) ? pod : throw new TraceException($"pod {key} not found");

    private ResolvedEnd ResolveEnd(EndpointRef end, NetworkRef network, IpFamily family)
    {
        if (end.PodKey is not null)
        {
            var pod = FindPod(end.PodKey);
            if (!pod.Interfaces.Any(i => i.Network == network))
            {
                throw new TraceException($"pod {pod.Key} has no interface on network {network}");
            }

            var address = AddressOn(pod, network, family)
                ?? throw new TraceException($"pod {pod.Key} has no {FamilyName(family)} address on network {network}");
            return new ResolvedEnd(pod, address);
        }

        // An address that belongs to a pod on this network stands for that pod (the policy endpoint first).
        var holder = _holders.TryGetValue((network, end.Address!), out var holders) ? holders[0] : null;
        return new ResolvedEnd(holder, end.Address!);
    }

    private static IPAddress? AddressOn(PodInfo pod, NetworkRef network, IpFamily family)
    {
        var wanted = family == IpFamily.V6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        return pod.Interfaces
            .Where(i => i.Network == network)
            .SelectMany(i => i.Addresses)
            .FirstOrDefault(a => a.AddressFamily == wanted);
    }

    private static int ResolvePort(string port, Protocol protocol, PodInfo? destination)
    {
        var text = port.Trim();
        if (text.Length > 0 && text.All(char.IsAsciiDigit))
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= PortRange.MaxPort
                ? number
                : throw new TraceException($"port '{port}': must be 1..65535 or a container port name");
        }

        if (destination is null)
        {
            throw new TraceException($"port '{port}': a named port needs a pod destination");
        }

        var declared = destination.Ports.FirstOrDefault(p => p.Name == text && p.Protocol == protocol)
            ?? throw new TraceException($"port '{port}': pod {destination.Key} declares no {protocol.ToString().ToUpperInvariant()} container port of that name");
        return declared.Number;
    }

    private static string FamilyName(IpFamily family) => family == IpFamily.V6 ? "IPv6" : "IPv4";
}
