using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Spec;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Evaluation;

/// <summary>The evaluator's lookups over one snapshot, built once: pods by key, address holders, namespace labels, policies per namespace, managed networks.</summary>
internal sealed class EvaluatorIndex
{
    public EvaluatorIndex(ClusterSnapshot snapshot, PolicyOptions options)
    {
        foreach (var pod in snapshot.Pods.OrderByDescending(p => p.IsPolicyEndpoint).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            PodsByKey.TryAdd(pod.Key, pod);
            foreach (var address in pod.Interfaces.SelectMany(i => i.Addresses.Select(a => (i.Network, a))))
            {
                if (!Holders.TryGetValue(address, out var holders))
                {
                    Holders[address] = holders = [];
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
            NamespaceLabels[ns.Name] = ns.Labels;
        }

        foreach (var policy in snapshot.Policies)
        {
            if (!PoliciesByNamespace.TryGetValue(policy.Namespace, out var list))
            {
                PoliciesByNamespace[policy.Namespace] = list = [];
            }

            list.Add(policy);
        }

        foreach (var network in snapshot.Networks)
        {
            if (network.PluginType is not null && options.ManagedPlugins.Contains(network.PluginType))
            {
                ManagedNetworks.Add(network.Ref);
            }
        }
    }

    public Dictionary<string, PodInfo> PodsByKey { get; } = new(StringComparer.Ordinal);

    /// <summary>Pods holding an address, per network; policy endpoints first, then by key (for IP ends).</summary>
    public Dictionary<(NetworkRef Network, IPAddress Address), List<PodInfo>> Holders { get; } = [];

    public Dictionary<string, ImmutableDictionary<string, string>> NamespaceLabels { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<PolicyInfo>> PoliciesByNamespace { get; } = new(StringComparer.Ordinal);

    public HashSet<NetworkRef> ManagedNetworks { get; } = [];

    /// <summary>True when the network's NAD exists and its CNI type is in the managed plugin list.</summary>
    public bool IsManaged(NetworkRef network) => ManagedNetworks.Contains(network);

    public static IPAddress? AddressOn(PodInfo pod, NetworkRef network, IpFamily family)
    {
        var wanted = family == IpFamily.V6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        return pod.Interfaces
            .Where(i => i.Network == network)
            .SelectMany(i => i.Addresses)
            .FirstOrDefault(a => a.AddressFamily == wanted);
    }
}
