using System.Text.Json;
using Mnp.Policy.Cluster;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Input;

/// <summary>Reads one entry of a rule's ports list; an invalid entry is reported and dropped.</summary>
internal static class PortParser
{
    private const string Ignored = "port ignored";
    private const int MaxPort = 65535;

    public static PortSpec? Read(JsonElement port, string field, ProblemCollector problems)
    {
        if (port.ValueKind != JsonValueKind.Object)
        {
            problems.Add(field, $"must be an object, not {Json.Describe(port)}: {Ignored}");
            return null;
        }

        var protocol = ReadProtocol(port, $"{field}.protocol", problems);
        if (protocol is null)
        {
            return null;
        }

        if (!Json.TryGet(port, "port", out var portValue))
        {
            if (Json.TryGet(port, "endPort", out _))
            {
                problems.Add($"{field}.endPort", $"requires a numeric port: {Ignored}");
                return null;
            }

            return new PortSpec(protocol.Value, null, null, null);
        }

        return portValue.ValueKind switch
        {
            JsonValueKind.String => ReadNamedPort(port, portValue.GetString()!, protocol.Value, field, problems),
            JsonValueKind.Number => ReadNumericPort(port, portValue, protocol.Value, field, problems),
            _ => Reject(problems, $"{field}.port", $"must be a number or a port name, not {Json.Describe(portValue)}"),
        };
    }

    /// <summary>Reads protocol: absent or null is TCP; values are case-sensitive as in the Kubernetes API.</summary>
    public static Protocol? ReadProtocol(JsonElement owner, string field, ProblemCollector problems, string ignored = Ignored)
    {
        if (!Json.TryGet(owner, "protocol", out var value))
        {
            return Protocol.Tcp;
        }

        Protocol? protocol = value.ValueKind == JsonValueKind.String
            ? value.GetString() switch
            {
                "TCP" => Protocol.Tcp,
                "UDP" => Protocol.Udp,
                "SCTP" => Protocol.Sctp,
                _ => null,
            }
            : null;
        if (protocol is null)
        {
            problems.Add(field, $"unknown protocol {Json.Describe(value)} (must be TCP, UDP or SCTP): {ignored}");
        }

        return protocol;
    }

    private static PortSpec? ReadNamedPort(JsonElement port, string name, Protocol protocol, string field, ProblemCollector problems)
    {
        if (PortName.Error(name) is { } error)
        {
            return Reject(problems, $"{field}.port", $"invalid port name {MessageText.Quote(name)}: {error}");
        }

        if (Json.TryGet(port, "endPort", out _))
        {
            return Reject(problems, $"{field}.endPort", "requires a numeric port, not a port name");
        }

        return new PortSpec(protocol, null, null, name);
    }

    private static PortSpec? ReadNumericPort(JsonElement port, JsonElement portValue, Protocol protocol, string field, ProblemCollector problems)
    {
        if (!TryReadPortNumber(portValue, out var number))
        {
            var why = portValue.TryGetInt64(out _) ? $"is out of range 1..{MaxPort}" : "is not an integer";
            return Reject(problems, $"{field}.port", $"port {portValue.GetRawText()} {why}");
        }

        if (!Json.TryGet(port, "endPort", out var endValue))
        {
            return new PortSpec(protocol, number, null, null);
        }

        if (endValue.ValueKind != JsonValueKind.Number || !TryReadPortNumber(endValue, out var end))
        {
            return Reject(problems, $"{field}.endPort", $"{Json.Describe(endValue)} is not a port number in 1..{MaxPort}");
        }

        if (end < number)
        {
            return Reject(problems, $"{field}.endPort", $"endPort {end} is below port {number}");
        }

        return new PortSpec(protocol, number, end, null);
    }

    private static bool TryReadPortNumber(JsonElement value, out int number) =>
        value.TryGetInt32(out number) && number is >= 1 and <= MaxPort;

    private static PortSpec? Reject(ProblemCollector problems, string field, string message)
    {
        problems.Add(field, $"{message}: {Ignored}");
        return null;
    }
}
