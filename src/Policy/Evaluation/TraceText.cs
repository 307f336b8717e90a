using System.Text;

namespace Mnp.Policy.Evaluation;

/// <summary>The human form of <c>mnp trace</c>: the verdict line, then one line per direction and per matching rule.</summary>
public static class TraceText
{
    public static string Write(TraceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        text.Append(TraceJson.Verdict(result.Allowed).ToUpperInvariant())
            .Append(": ").Append(result.From).Append(" -> ").Append(result.To)
            .Append(' ').Append(result.Protocol.ToString().ToUpperInvariant()).Append('/').Append(result.Port)
            .Append(" on ").Append(result.Network)
            .Append(result.NetworkManaged ? string.Empty : " (unmanaged)")
            .Append('\n');
        AppendDirection(text, "egress ", result.Egress);
        AppendDirection(text, "ingress", result.Ingress);
        return text.ToString();
    }

    private static void AppendDirection(StringBuilder text, string name, DirectionTrace direction)
    {
        text.Append("  ").Append(name).Append(": ").Append(TraceJson.Verdict(direction.Allowed))
            .Append(direction.Isolated ? " (isolated)" : " (not isolated)")
            .Append(" - ").Append(direction.Reason).Append('\n');
        foreach (var match in direction.AllowedBy)
        {
            text.Append("    ").Append(match.Policy).Append(" rule ").Append(match.Rule)
                .Append(": peer ").Append(match.PeerKind)
                .Append(match.PeerIndex is { } peer ? $"[{peer}]" : string.Empty)
                .Append(", port ").Append(match.Port)
                .Append('\n');
        }
    }
}
