using System.Collections.Immutable;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab.Probe;

/// <summary>
/// Pure: every ordered pair of distinct lab pods (filtered), every network both have, every destination address whose
/// family the source also has, every port and protocol. Ports default to the destination's declared container ports
/// (SCTP left out: the lab kernel has no SCTP sockets), 80/TCP when it declares none.
/// </summary>
public static class ProbePlanner
{
    public static IReadOnlyList<ProbeRequest> Plan(LabState state, IReadOnlyDictionary<string, ImmutableArray<ContainerPort>> declaredPorts, ProbeFilter filter)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(declaredPorts);
        ArgumentNullException.ThrowIfNull(filter);
        CheckKnown(state, filter.From, "--from");
        CheckKnown(state, filter.To, "--to");
        if (filter.Protocols.Contains(Protocol.Sctp))
        {
            throw new LabException("--protocol SCTP: the lab cannot probe SCTP (the kernel has no SCTP sockets); check SCTP on the rendered rules");
        }

        var result = new List<ProbeRequest>();
        foreach (var from in state.Pods.Where(p => filter.From.IsEmpty || filter.From.Contains(p.Key)))
        {
            foreach (var to in state.Pods.Where(p => p.Key != from.Key && (filter.To.IsEmpty || filter.To.Contains(p.Key))))
            {
                var ports = PortsFor(declaredPorts.GetValueOrDefault(to.Key, []), filter);
                foreach (var destination in to.Interfaces)
                {
                    var source = from.Interfaces.FirstOrDefault(i => i.Network == destination.Network);
                    if (source is null)
                    {
                        continue;
                    }

                    foreach (var address in destination.Addresses)
                    {
                        var sourceAddress = source.Addresses.Select(a => a.Address).FirstOrDefault(a => a.AddressFamily == address.Address.AddressFamily);
                        if (sourceAddress is null)
                        {
                            continue;
                        }

                        result.AddRange(ports.Select(p => new ProbeRequest(from.Key, to.Key, destination.Network, address.Address, sourceAddress, p.Port, p.Protocol)));
                    }
                }
            }
        }

        return result;
    }

    private static List<(int Port, Protocol Protocol)> PortsFor(ImmutableArray<ContainerPort> declared, ProbeFilter filter)
    {
        var protocols = filter.Protocols.IsEmpty ? [Protocol.Tcp] : filter.Protocols;
        if (!filter.Ports.IsEmpty)
        {
            return [.. filter.Ports.SelectMany(port => protocols.Select(protocol => (port, protocol)))];
        }

        var fromPod = declared
            .Where(p => p.Protocol != Protocol.Sctp && (filter.Protocols.IsEmpty || filter.Protocols.Contains(p.Protocol)))
            .Select(p => (p.Number, p.Protocol))
            .Distinct()
            .ToList();
        return fromPod.Count > 0 ? fromPod : [.. protocols.Select(protocol => (80, protocol))];
    }

    private static void CheckKnown(LabState state, ImmutableArray<string> keys, string option)
    {
        foreach (var key in keys.Where(k => state.FindPod(k) is null))
        {
            throw new LabException($"{option} {key}: no such pod in lab {state.Name}");
        }
    }
}
