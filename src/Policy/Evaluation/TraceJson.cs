using System.Text;
using System.Text.Json;
using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Evaluation;

/// <summary>The JSON form of <c>mnp trace -o json</c> (docs/cli.md §3), camelCase, with explanation fields added.</summary>
public static class TraceJson
{
    public static string Write(TraceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("verdict", Verdict(result.Allowed));
            json.WriteString("from", result.From.Pod ?? result.From.Address.ToString());
            json.WriteString("fromAddress", result.From.Address.ToString());
            json.WriteString("to", result.To.Pod ?? result.To.Address.ToString());
            json.WriteString("toAddress", result.To.Address.ToString());
            json.WriteString("network", result.Network.ToString());
            json.WriteBoolean("networkManaged", result.NetworkManaged);
            json.WriteString("family", result.Family == IpFamily.V6 ? "ipv6" : "ipv4");
            json.WriteNumber("port", result.Port);
            json.WriteString("protocol", result.Protocol.ToString().ToUpperInvariant());
            WriteDirection(json, "egress", result.Egress);
            WriteDirection(json, "ingress", result.Ingress);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static string Verdict(bool allowed) => allowed ? "allowed" : "denied";

    private static void WriteDirection(Utf8JsonWriter json, string name, DirectionTrace direction)
    {
        json.WriteStartObject(name);
        json.WriteString("verdict", Verdict(direction.Allowed));
        json.WriteBoolean("isolated", direction.Isolated);
        json.WriteStartArray("allowedBy");
        foreach (var match in direction.AllowedBy)
        {
            json.WriteStartObject();
            json.WriteString("policy", match.Policy);
            json.WriteNumber("rule", match.Rule);
            json.WriteString("peer", JsonNamingPolicy.CamelCase.ConvertName(match.PeerKind.ToString()));
            if (match.PeerIndex is { } peerIndex)
            {
                json.WriteNumber("peerIndex", peerIndex);
            }

            if (match.PortIndex is { } portIndex)
            {
                json.WriteNumber("portIndex", portIndex);
            }

            json.WriteString("port", match.Port);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("selectedBy");
        foreach (var policy in direction.SelectingPolicies)
        {
            json.WriteStringValue(policy);
        }

        json.WriteEndArray();
        json.WriteString("reason", direction.Reason);
        json.WriteEndObject();
    }
}
