using System.Text;
using System.Text.Json;

namespace Mnp.Policy.Evaluation;

/// <summary>The JSON form of <c>mnp matrix -o json</c> (docs/cli.md §4): <c>{"flows": [...]}</c>.</summary>
public static class ReachabilityJson
{
    public static string Write(IEnumerable<ReachabilityFlow> flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("flows");
            foreach (var flow in flows)
            {
                json.WriteStartObject();
                json.WriteString("from", flow.From);
                json.WriteString("to", flow.To);
                json.WriteString("network", flow.Network.ToString());
                json.WriteString("address", flow.Address.ToString());
                json.WriteNumber("port", flow.Port);
                json.WriteString("protocol", flow.Protocol.ToString().ToUpperInvariant());
                json.WriteString("verdict", TraceJson.Verdict(flow.Allowed));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
