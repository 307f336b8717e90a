using System.Text;
using System.Text.Json;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Operations;

/// <summary><c>mnp inspect</c>'s two outputs: text for people, JSON for must-gather and scripts (the same facts).</summary>
public static class InspectionOutput
{
    public static string Text(IReadOnlyList<PodInspection> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var text = new StringBuilder();
        foreach (var pod in pods)
        {
            text.Append("# pod ").Append(pod.Pod).Append(" (netns ").Append(pod.Netns).Append(")\n");
            WriteView(text, "iptables", pod.Live.Iptables, $"foreign: {pod.Live.IptablesForeign.Containers} chain(s), {pod.Live.IptablesForeign.Rules} rule(s)");
            WriteView(text, "nftables", pod.Live.Nftables, $"foreign tables: {(pod.Live.ForeignTables.IsEmpty ? "none" : string.Join(", ", pod.Live.ForeignTables))}");
            foreach (var error in pod.Errors)
            {
                text.Append("error: ").Append(error).Append('\n');
            }

            if (pod.Differences is { } differences)
            {
                text.Append("differences (").Append(RuleDifference.BackendName(pod.ComparedBackend!.Value)).Append(" compared with the engine): ");
                text.Append(differences.IsEmpty ? "none\n" : $"{differences.Length}\n");
                foreach (var difference in differences)
                {
                    text.Append("  ").Append(difference).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    public static string Json(IReadOnlyList<PodInspection> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("pods");
            foreach (var pod in pods)
            {
                WritePod(json, pod);
            }

            json.WriteEndArray();
            if (pods.Any(p => p.Differences is not null))
            {
                json.WriteNumber("differences", pods.Sum(p => p.Differences?.Length ?? 0));
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteView(StringBuilder text, string name, RuleView? view, string foreign)
    {
        if (view is null)
        {
            text.Append(name).Append(": not readable\n");
            return;
        }

        if (view.IsEmpty)
        {
            text.Append(name).Append(": nothing of ours (").Append(foreign).Append(")\n");
            return;
        }

        text.Append(name).Append(":\n");
        var empty = view.Containers.Where(c => !view.Rules.Any(r =>
            c == r.Location || c.StartsWith(r.Location + " (", StringComparison.Ordinal) || (c == RuleViews.NftScope && r.Location.StartsWith(c + "/", StringComparison.Ordinal))));
        foreach (var container in empty)
        {
            text.Append("  ").Append(container).Append(" (empty)\n");
        }

        foreach (var group in view.Rules.GroupBy(r => r.Location, StringComparer.Ordinal))
        {
            text.Append("  ").Append(group.Key).Append('\n');
            foreach (var rule in group)
            {
                text.Append("    ").Append(rule.Index.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(3)).Append("  ").Append(rule.Text);
                text.Append(rule.Origin is null ? "\n" : $"    <- {rule.Origin}\n");
            }
        }

        foreach (var anomaly in view.Anomalies)
        {
            text.Append("  anomaly: ").Append(anomaly).Append('\n');
        }

        text.Append("  ").Append(foreign).Append('\n');
    }

    private static void WritePod(Utf8JsonWriter json, PodInspection pod)
    {
        json.WriteStartObject();
        json.WriteString("pod", pod.Pod);
        json.WriteString("netns", pod.Netns);
        json.WriteStartArray("backends");
        foreach (var view in new[] { pod.Live.Iptables, pod.Live.Nftables }.OfType<RuleView>())
        {
            WriteView(json, view);
        }

        json.WriteEndArray();
        json.WriteStartObject("foreign");
        json.WriteNumber("iptablesChains", pod.Live.IptablesForeign.Containers);
        json.WriteNumber("iptablesRules", pod.Live.IptablesForeign.Rules);
        json.WriteStartArray("nftablesTables");
        foreach (var table in pod.Live.ForeignTables)
        {
            json.WriteStringValue(table);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartArray("errors");
        foreach (var error in pod.Errors)
        {
            json.WriteStringValue(error);
        }

        json.WriteEndArray();
        if (pod.Differences is { } differences)
        {
            json.WriteString("compared", RuleDifference.BackendName(pod.ComparedBackend!.Value));
            json.WriteStartArray("differences");
            foreach (var difference in differences)
            {
                json.WriteStartObject();
                json.WriteString("backend", RuleDifference.BackendName(difference.Backend));
                json.WriteString("kind", difference.KindName);
                json.WriteString("location", difference.Location);
                if (difference.Index is { } index)
                {
                    json.WriteNumber("index", index);
                }

                WriteOptional(json, "expected", difference.Expected);
                WriteOptional(json, "found", difference.Found);
                WriteOrigin(json, difference.Origin);
                json.WriteString("text", difference.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteView(Utf8JsonWriter json, RuleView view)
    {
        json.WriteStartObject();
        json.WriteString("backend", RuleDifference.BackendName(view.Backend));
        json.WriteStartArray("containers");
        foreach (var container in view.Containers)
        {
            json.WriteStringValue(container);
        }

        json.WriteEndArray();
        json.WriteStartArray("rules");
        foreach (var rule in view.Rules)
        {
            json.WriteStartObject();
            json.WriteString("location", rule.Location);
            json.WriteNumber("index", rule.Index);
            json.WriteString("text", rule.Text);
            WriteOrigin(json, rule.Origin);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("anomalies");
        foreach (var anomaly in view.Anomalies)
        {
            json.WriteStringValue(anomaly);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// The origin as written and, when it names policy rules (<see cref="OriginComment"/>): each of them in
    /// <c>origins</c> (with <c>more</c>, the policies a cut comment left out); one alone also as policy, direction and rule.
    /// </summary>
    private static void WriteOrigin(Utf8JsonWriter json, string? origin)
    {
        if (origin is null)
        {
            return;
        }

        json.WriteString("origin", origin);
        if (OriginComment.Parse(origin) is not var (origins, more))
        {
            return;
        }

        if (origins is [var only] && more == 0)
        {
            json.WriteString("policy", only.Policy);
            json.WriteString("direction", DirectionName(only.Direction));
            json.WriteNumber("rule", only.Rule);
        }

        json.WriteStartArray("origins");
        foreach (var named in origins)
        {
            json.WriteStartObject();
            json.WriteString("policy", named.Policy);
            json.WriteString("direction", DirectionName(named.Direction));
            json.WriteNumber("rule", named.Rule);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (more > 0)
        {
            json.WriteNumber("more", more);
        }
    }

    private static string DirectionName(Direction direction) => direction == Direction.Ingress ? "ingress" : "egress";

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
