using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Compiler;

/// <summary>
/// Named ports resolved against container ports: for ingress the destination is the selected pod itself, for egress
/// each destination pod the rule's peers match (cached per rule and network: every selected source pod shares it).
/// </summary>
internal sealed class NamedPortResolver(CompilerIndex index)
{
    private readonly Dictionary<NetworkRef, Dictionary<(string Policy, int Rule), (PolicyInfo Policy, PolicyRule Rule, List<Allowance> Allowances)>> _egress = [];
    private readonly Dictionary<(Protocol Protocol, int Number), PortRange> _singlePorts = [];
    private readonly Dictionary<PodInfo, Dictionary<(string Name, Protocol Protocol), List<int>>> _namedPorts = new(ReferenceEqualityComparer.Instance);

    /// <summary>Drops the egress resolutions over <paramref name="network"/> that <paramref name="change"/> can change.</summary>
    public void Forget(NetworkRef network, PodChange change)
    {
        if (!_egress.TryGetValue(network, out var cache))
        {
            return;
        }

        foreach (var (key, entry) in cache)
        {
            if (change.Affects(entry.Policy, Direction.Egress, entry.Rule))
            {
                cache.Remove(key);
            }
        }
    }

    public void Forget(PodInfo pod) => _namedPorts.Remove(pod);

    public void ForgetAll()
    {
        _egress.Clear();
        _namedPorts.Clear();
    }

    /// <summary>The allowances of a rule's egress named ports on one network (shared: callers must not change the list).</summary>
    public List<Allowance> Egress(PolicyInfo policy, RuleOrigin origin, PolicyRule rule, NetworkRef network, ResolvedPeers? peers)
    {
        if (!_egress.TryGetValue(network, out var cache))
        {
            cache = [];
            _egress[network] = cache;
        }

        var key = (origin.Policy, rule.Index);
        if (!cache.TryGetValue(key, out var entry))
        {
            entry = (policy, rule, []);
            AddEgressAllowances(origin, rule, network, peers, entry.Allowances);
            cache[key] = entry;
        }

        return entry.Allowances;
    }

    public void AddNamedPort(PodInfo pod, PortSpec port, List<PortRange> ports)
    {
        if (pod.Ports.Length > 16)
        {
            // Thousands of declared ports times thousands of named port entries was quadratic: index the pod's names once.
            if (NamedPortsOf(pod).TryGetValue((port.Name!, port.Protocol), out var numbers))
            {
                foreach (var number in numbers)
                {
                    ports.Add(SinglePort(port.Protocol, number));
                }
            }

            return;
        }

        foreach (var declared in pod.Ports)
        {
            if (declared.Name == port.Name && declared.Protocol == port.Protocol)
            {
                ports.Add(SinglePort(declared.Protocol, declared.Number));
            }
        }
    }

    /// <summary>
    /// Egress named ports resolve per destination pod: each destination pod whose address the rule's peers match
    /// contributes those addresses with that pod's ports. Non-pod addresses never match. Destinations whose ports
    /// resolve to the same set share one allowance (a union of equivalent allowances), in first-seen pod order.
    /// </summary>
    private void AddEgressAllowances(RuleOrigin origin, PolicyRule rule, NetworkRef network, ResolvedPeers? peers, List<Allowance> allowances)
    {
        var candidates = peers is null ? index.EndpointsOn(network) : peers.SelectedPods;
        var groups = new List<(ImmutableArray<PortRange> Ports, List<PeerMatch> Hosts)>();
        var groupsByHash = new Dictionary<int, List<int>>();
        var ports = new List<PortRange>();
        foreach (var destination in candidates)
        {
            ports.Clear();
            foreach (var port in rule.Ports)
            {
                if (port.Name is not null)
                {
                    AddNamedPort(destination.Pod, port, ports);
                }
            }

            if (ports.Count > 0)
            {
                var hosts = HostsFor(groups, groupsByHash, ports);
                foreach (var host in destination.Hosts)
                {
                    hosts.Add(host); // selected pods carry only the matched addresses
                }
            }
        }

        foreach (var (resolved, hosts) in groups)
        {
            allowances.Add(new Allowance(origin, false, [.. hosts], false, resolved));
        }
    }

    /// <summary>The hosts of the group with these ports, found by content hash: a scan of every group per destination
    /// was quadratic when each of thousands of destinations resolves the name to its own port.</summary>
    private static List<PeerMatch> HostsFor(
        List<(ImmutableArray<PortRange> Ports, List<PeerMatch> Hosts)> groups, Dictionary<int, List<int>> groupsByHash, List<PortRange> ports)
    {
        PortSet.NormalizeInPlace(ports);
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ports);
        var hash = default(HashCode);
        foreach (var port in span)
        {
            hash.Add(port);
        }

        var key = hash.ToHashCode();
        if (!groupsByHash.TryGetValue(key, out var candidates))
        {
            candidates = [];
            groupsByHash[key] = candidates;
        }

        foreach (var index in candidates)
        {
            if (groups[index].Ports.AsSpan().SequenceEqual(span))
            {
                return groups[index].Hosts;
            }
        }

        var hosts = new List<PeerMatch>();
        candidates.Add(groups.Count);
        groups.Add(([.. ports], hosts));
        return hosts;
    }

    private Dictionary<(string Name, Protocol Protocol), List<int>> NamedPortsOf(PodInfo pod)
    {
        if (!_namedPorts.TryGetValue(pod, out var byName))
        {
            byName = [];
            foreach (var declared in pod.Ports)
            {
                if (declared.Name is not null)
                {
                    if (!byName.TryGetValue((declared.Name, declared.Protocol), out var numbers))
                    {
                        numbers = [];
                        byName[(declared.Name, declared.Protocol)] = numbers;
                    }

                    numbers.Add(declared.Number);
                }
            }

            _namedPorts[pod] = byName;
        }

        return byName;
    }

    /// <summary>Shared instances: named ports resolve to the same few ports on thousands of pods.</summary>
    private PortRange SinglePort(Protocol protocol, int number)
    {
        if (!_singlePorts.TryGetValue((protocol, number), out var range))
        {
            range = new PortRange(protocol, number, number);
            _singlePorts[(protocol, number)] = range;
        }

        return range;
    }
}
