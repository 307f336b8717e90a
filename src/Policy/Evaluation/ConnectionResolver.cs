using System.Globalization;
using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Evaluation;

/// <summary>
/// Turns a <see cref="ConnectionQuery"/> as the operator wrote it into resolved ends: which network, which family,
/// which pod an address stands for, which number a named port is; a query it cannot answer throws <see cref="TraceException"/>.
/// </summary>
internal sealed class ConnectionResolver(EvaluatorIndex index)
{
    /// <summary>
    /// An address end decides; else --family; else the family the pod ends share on the network (IPv4 when they
    /// share both, so the docs/cli.md §3 default only applies to dual-stack ends).
    /// </summary>
    public IpFamily ResolveFamily(ConnectionQuery query, NetworkRef network)
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
            .Select(key => index.PodsByKey.TryGetValue(key, out var pod) ? FamiliesOn(pod, network) : [IpFamily.V4, IpFamily.V6])
            .Aggregate((IEnumerable<IpFamily>)[IpFamily.V4, IpFamily.V6], (all, end) => all.Intersect(end))
            .ToList();
        return shared.Count == 1 ? shared[0] : IpFamily.V4;
    }

    private static List<IpFamily> FamiliesOn(PodInfo pod, NetworkRef network) =>
        [.. new[] { IpFamily.V4, IpFamily.V6 }.Where(f => EvaluatorIndex.AddressOn(pod, network, f) is not null)];

    public NetworkRef ResolveNetwork(EndpointRef from, EndpointRef to)
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

        if (!bothPods && shared.Count > 1 && shared.Count(index.IsManaged) == 1)
        {
            shared = [.. shared.Where(index.IsManaged)];
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

        var holding = index.Holders.Keys.Where(k => k.Address.Equals(end.Address)).Select(k => k.Network).Distinct().ToList();
        return holding.Count == 0 ? null : holding;
    }

    private PodInfo FindPod(string key) =>
        index.PodsByKey.TryGetValue(key, out var pod) ? pod : throw new TraceException($"pod {key} not found");

    public ResolvedEnd ResolveEnd(EndpointRef end, NetworkRef network, IpFamily family)
    {
        if (end.PodKey is not null)
        {
            var pod = FindPod(end.PodKey);
            if (!pod.Interfaces.Any(i => i.Network == network))
            {
                throw new TraceException($"pod {pod.Key} has no interface on network {network}");
            }

            var address = EvaluatorIndex.AddressOn(pod, network, family)
                ?? throw new TraceException($"pod {pod.Key} has no {FamilyName(family)} address on network {network}");
            return new ResolvedEnd(pod, address);
        }

        // An address that belongs to a pod on this network stands for that pod (the policy endpoint first).
        var holder = index.Holders.TryGetValue((network, end.Address!), out var holders) ? holders[0] : null;
        return new ResolvedEnd(holder, end.Address!);
    }

    public static int ResolvePort(string port, Protocol protocol, PodInfo? destination)
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
