using k8s.Models;
using Mnp.Policy.Cluster;

namespace Mnp.Policy.Input;

/// <summary>Reads a Pod: labels, phase, hostNetwork, node, container ports, secondary interfaces and requested networks.</summary>
public static class PodParser
{
    public const string Kind = "Pod";

    /// <summary>
    /// Parses <paramref name="pod"/>. Without <c>status.phase</c> the pod is Running when
    /// <paramref name="assumeRunningWhenPhaseMissing"/> (hand-written manifests), else Pending.
    /// A missing metadata.namespace means <paramref name="defaultNamespace"/>.
    /// </summary>
    public static Parsed<PodInfo> Parse(V1Pod pod, bool assumeRunningWhenPhaseMissing, string defaultNamespace = "default")
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata?.NamespaceProperty is { Length: > 0 } given ? given : defaultNamespace;
        var name = pod.Metadata?.Name ?? string.Empty;
        var problems = new ProblemCollector(Kind, ns, name);
        var annotations = pod.Metadata?.Annotations;
        var phase = pod.Status?.Phase is { Length: > 0 } p ? p : assumeRunningWhenPhaseMissing ? "Running" : "Pending";
        var info = new PodInfo(
            ns,
            name,
            pod.Metadata?.Uid ?? string.Empty,
            (pod.Metadata?.Labels ?? new Dictionary<string, string>()).ToImmutableDictionary(StringComparer.Ordinal),
            phase,
            pod.Spec?.HostNetwork ?? false,
            pod.Spec?.NodeName,
            ReadPorts(pod, problems),
            NetworkStatusParser.Parse(Lookup(annotations, Annotations.NetworkStatus), ns, problems),
            NetworkRequestParser.Parse(Lookup(annotations, Annotations.Networks), ns, problems));
        return new Parsed<PodInfo>(info, problems.ToImmutable());
    }

    private static ImmutableArray<ContainerPort> ReadPorts(V1Pod pod, ProblemCollector problems)
    {
        var ports = ImmutableArray.CreateBuilder<ContainerPort>();
        var containers = pod.Spec?.Containers ?? [];
        for (var c = 0; c < containers.Count; c++)
        {
            var declared = containers[c]?.Ports ?? [];
            for (var i = 0; i < declared.Count; i++)
            {
                if (ReadPort(declared[i], $"spec.containers[{c}].ports[{i}]", problems) is { } port)
                {
                    ports.Add(port);
                }
            }
        }

        return ports.ToImmutable();
    }

    private static ContainerPort? ReadPort(V1ContainerPort port, string field, ProblemCollector problems)
    {
        Protocol? protocol = port.Protocol switch
        {
            null => Protocol.Tcp,
            "TCP" => Protocol.Tcp,
            "UDP" => Protocol.Udp,
            "SCTP" => Protocol.Sctp,
            _ => null,
        };
        if (protocol is null)
        {
            problems.Add($"{field}.protocol", $"unknown protocol {MessageText.Quote(port.Protocol)} (must be TCP, UDP or SCTP): port ignored");
            return null;
        }

        if (port.ContainerPort is < 1 or > 65535)
        {
            problems.Add($"{field}.containerPort", $"port {port.ContainerPort} is out of range 1..65535: port ignored");
            return null;
        }

        return new ContainerPort(string.IsNullOrEmpty(port.Name) ? null : port.Name, port.ContainerPort, protocol.Value);
    }

    private static string? Lookup(IDictionary<string, string>? annotations, string key) =>
        annotations is not null && annotations.TryGetValue(key, out var value) ? value : null;
}
