using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using Mnp.Agent.Lab.Ipam;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab;

/// <summary>
/// Pure: turns namespaces, pods and NetworkAttachmentDefinitions into the lab's layout (namespaces, parents,
/// interfaces, addresses) and validates everything before anything is created. Pods already in
/// <c>existing</c> with the same network requests keep their addresses; the rest are allocated in pod order.
/// </summary>
public static partial class LabPlanner
{
    public const string NetnsPrefix = "mnplab-";
    public const int MaxInterfaceName = 15;
    private const string NetworksField = "metadata.annotations[k8s.v1.cni.cncf.io/networks]";

    public static string NodeNetnsName(string lab) => $"{NetnsPrefix}{lab}-node";

    /// <summary>The readable form <c>mnplab-LAB-NS-POD</c>; the planner may give a pod a fallback instead (<see cref="LabNames"/>).</summary>
    public static string PodNetnsName(string lab, string ns, string pod) => LabNames.ReadablePodNetns(lab, ns, pod);

    /// <summary>Lab names are DNS labels: they become namespace and directory names.</summary>
    public static void ValidateLabName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!LabNamePattern().IsMatch(name))
        {
            throw new LabException($"lab name '{LabNames.Printable(name)}' must be 1-40 lowercase letters, digits or '-', starting and ending with a letter or digit");
        }
    }

    public static LabState Plan(string labName, ClusterSnapshot snapshot, LabState? existing = null)
    {
        ValidateLabName(labName);
        ArgumentNullException.ThrowIfNull(snapshot);
        var networks = PlanNetworks(snapshot, existing);
        var allocators = snapshot.Networks.ToDictionary(n => n.Ref, n => new IpamAllocator(IpamConfigParser.Parse(n), n.Ref.ToString()));
        var namespaces = snapshot.Namespaces.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var pods = snapshot.Pods.Where(p => !p.HostNetwork).ToList();
        CheckNames(snapshot);
        CheckPods(pods, namespaces);

        var wanted = pods.Select(p => (Pod: p, Interfaces: RequestedInterfaces(p, allocators))).ToList();
        var owners = new Dictionary<(NetworkRef, IPAddress), string>();
        var kept = new Dictionary<string, LabPod>(StringComparer.Ordinal);

        // Reserve first what is fixed: pods that stay as they are, then explicit ips, so allocation never takes them.
        foreach (var (pod, interfaces) in wanted)
        {
            if (existing?.FindPod(pod.Key) is { } old && SameRequests(old, interfaces))
            {
                kept[pod.Key] = old;
                foreach (var i in old.Interfaces)
                {
                    Claim(owners, allocators[i.Network], i.Network, i.Addresses, pod.Key);
                }
            }
        }

        foreach (var (pod, interfaces) in wanted.Where(w => !kept.ContainsKey(w.Pod.Key)))
        {
            foreach (var i in interfaces.Where(i => i.Addresses.Length > 0))
            {
                Claim(owners, allocators[i.Network], i.Network, i.Addresses, pod.Key);
            }
        }

        var netnsTaken = kept.Values.Select(p => p.Netns).Append(NodeNetnsName(labName)).ToHashSet(StringComparer.Ordinal);
        var planned = new List<LabPod>();
        foreach (var (pod, interfaces) in wanted)
        {
            if (kept.TryGetValue(pod.Key, out var old))
            {
                planned.Add(old);
                continue;
            }

            var built = interfaces.Select(i =>
            {
                if (i.Addresses.Length > 0)
                {
                    return i;
                }

                var allocated = allocators[i.Network].Allocate(pod.Key);
                if (allocators[i.Network].Config.StaticAddresses.Length > 0)
                {
                    Claim(owners, allocators[i.Network], i.Network, allocated, pod.Key);
                }
                else
                {
                    foreach (var a in allocated)
                    {
                        owners[(i.Network, a.Address)] = pod.Key;
                    }
                }

                return i with { Addresses = allocated };
            }).ToImmutableArray();
            // A re-created pod keeps the name it had; a new one gets the readable name unless taken or too long.
            var netns = existing?.FindPod(pod.Key)?.Netns is { } previous && !netnsTaken.Contains(previous)
                ? previous
                : LabNames.PodNetns(labName, pod.Namespace, pod.Name, netnsTaken.Contains);
            netnsTaken.Add(netns);
            planned.Add(new LabPod(pod.Namespace, pod.Name, netns, built));
        }

        return new LabState(labName, NodeNetnsName(labName), networks, [.. planned]);
    }

    private static ImmutableArray<LabNetwork> PlanNetworks(ClusterSnapshot snapshot, LabState? existing)
    {
        var result = new List<LabNetwork>();
        var used = existing?.Networks.Select(n => n.Parent).ToHashSet(StringComparer.Ordinal) ?? [];
        var next = 0;
        foreach (var nad in snapshot.Networks.OrderBy(n => n.Ref))
        {
            if (result.Any(n => n.Network == nad.Ref))
            {
                throw new LabException($"NetworkAttachmentDefinition {nad.Ref}: metadata.name: defined twice");
            }

            if (existing?.Networks.FirstOrDefault(n => n.Network == nad.Ref) is { } old)
            {
                result.Add(old);
                continue;
            }

            while (used.Contains($"nad{next}"))
            {
                next++;
            }

            used.Add($"nad{next}");
            result.Add(new LabNetwork(nad.Ref, $"nad{next}", $"nad{next}p"));
        }

        return [.. result];
    }

    /// <summary>Names as the API server checks them, before they become namespace, link or file names.</summary>
    private static void CheckNames(ClusterSnapshot snapshot)
    {
        foreach (var ns in snapshot.Namespaces)
        {
            Fail($"Namespace {LabNames.Printable(ns.Name)}: metadata.name", LabNames.LabelProblem(ns.Name));
        }

        foreach (var nad in snapshot.Networks)
        {
            var what = $"NetworkAttachmentDefinition {LabNames.Printable(nad.Namespace)}/{LabNames.Printable(nad.Name)}";
            Fail($"{what}: metadata.namespace", LabNames.LabelProblem(nad.Namespace));
            Fail($"{what}: metadata.name", LabNames.SubdomainProblem(nad.Name));
        }

        foreach (var pod in snapshot.Pods)
        {
            var what = $"Pod {LabNames.Printable(pod.Namespace)}/{LabNames.Printable(pod.Name)}";
            Fail($"{what}: metadata.namespace", LabNames.LabelProblem(pod.Namespace));
            Fail($"{what}: metadata.name", LabNames.SubdomainProblem(pod.Name));
        }

        static void Fail(string where, string? problem)
        {
            if (problem is not null)
            {
                throw new LabException($"{where}: {problem}");
            }
        }
    }

    private static void CheckPods(List<PodInfo> pods, HashSet<string> namespaces)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (!seen.Add(pod.Key))
            {
                throw new LabException($"Pod {pod.Key}: metadata.name: defined twice");
            }

            if (!namespaces.Contains(pod.Namespace))
            {
                throw new LabException($"Pod {pod.Key}: metadata.namespace: Namespace {pod.Namespace} is not in the lab");
            }
        }
    }

    /// <summary>The pod's interfaces as asked: names (netN by position unless named) and explicit ips; no allocation yet.</summary>
    private static ImmutableArray<LabInterface> RequestedInterfaces(PodInfo pod, Dictionary<NetworkRef, IpamAllocator> allocators)
    {
        var result = ImmutableArray.CreateBuilder<LabInterface>();
        for (var i = 0; i < pod.RequestedNetworks.Length; i++)
        {
            var request = pod.RequestedNetworks[i];
            var field = $"{NetworksField}[{i}]";
            if (!allocators.TryGetValue(request.Network, out var allocator))
            {
                throw new LabException($"Pod {pod.Key}: {field}: NetworkAttachmentDefinition {request.Network} not found");
            }

            var name = string.IsNullOrEmpty(request.Interface) ? $"net{i + 1}" : request.Interface;
            if (LabNames.InterfaceProblem(name) is { } problem)
            {
                throw new LabException($"Pod {pod.Key}: {field}.interface: {problem}");
            }

            if (result.Any(r => r.Interface == name))
            {
                throw new LabException($"Pod {pod.Key}: {field}.interface: interface {name} is requested twice");
            }

            var ips = ImmutableArray.CreateBuilder<LabAddress>();
            for (var j = 0; j < request.Ips.Length; j++)
            {
                var text = request.Ips[j].Trim();
                var bare = text.Split('/')[0];
                if (!IPAddress.TryParse(bare, out var parsedBare)
                    || !LabAddress.TryParse(text, allocator.PrefixFor(parsedBare), out var address))
                {
                    throw new LabException($"Pod {pod.Key}: {field}.ips[{j}]: '{text}' is not an IP address");
                }

                ips.Add(address);
            }

            result.Add(new LabInterface(request.Network, name, ips.ToImmutable(), null));
        }

        return result.ToImmutable();
    }

    private static bool SameRequests(LabPod old, ImmutableArray<LabInterface> wanted) =>
        old.Interfaces.Length == wanted.Length
        && old.Interfaces.Zip(wanted).All(p => p.First.Network == p.Second.Network
            && p.First.Interface == p.Second.Interface
            && (p.Second.Addresses.IsEmpty || p.First.Addresses.SequenceEqual(p.Second.Addresses)));

    private static void Claim(
        Dictionary<(NetworkRef, IPAddress), string> owners, IpamAllocator allocator, NetworkRef network, ImmutableArray<LabAddress> addresses, string podKey)
    {
        foreach (var address in addresses)
        {
            if (owners.TryGetValue((network, address.Address), out var owner))
            {
                throw new LabException(owner == podKey
                    ? $"Pod {podKey}: {NetworksField}: address {address.Address} on network {network} is given twice"
                    : $"Pod {podKey}: {NetworksField}: address {address.Address} on network {network} is already used by pod {owner}");
            }

            owners[(network, address.Address)] = podKey;
            allocator.Reserve(address.Address);
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?\z")]
    private static partial Regex LabNamePattern();
}
