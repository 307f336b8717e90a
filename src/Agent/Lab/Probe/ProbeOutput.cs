using System.Text.Json;
using System.Text.Json.Nodes;
using Mnp.Policy.Evaluation;

namespace Mnp.Agent.Lab.Probe;

/// <summary>
/// The two output formats of <c>mnp lab probe</c> (docs/cli.md §5): JSON <c>{"probes": [...]}</c> and the
/// <see cref="ReachabilityTable"/> (<c>.</c> connected, <c>X</c> blocked, <c>-</c> not probed).
/// </summary>
public static class ProbeOutput
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string ToJson(IEnumerable<ProbeResult> results)
    {
        var root = new JsonObject { ["probes"] = JsonSerializer.SerializeToNode(results.ToList(), Json) };
        return root.ToJsonString(Json);
    }

    /// <summary>The table <c>mnp matrix</c> prints too, so that what was observed reads beside what the policies imply.</summary>
    public static string ToTable(IReadOnlyList<ProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return ReachabilityTable.Write([.. results.Select(r => new ReachabilityCell(r.From, r.To, r.Network, r.Address, r.Port, r.Protocol, r.Connected))]);
    }
}
