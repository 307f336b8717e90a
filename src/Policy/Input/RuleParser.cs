using System.Text.Json;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Input;

/// <summary>Reads one ingress/egress rule: its peers and ports, dropping (and reporting) invalid ones.</summary>
internal static class RuleParser
{
    private const string Ignored = "the rule contributes nothing";

    /// <summary>Returns null (with a problem) when the rule is not understood: it then allows nothing.</summary>
    public static PolicyRule? Read(JsonElement rule, int index, string field, string peersKey, ProblemCollector problems)
    {
        if (rule.ValueKind != JsonValueKind.Object)
        {
            problems.Add(field, $"must be an object, not {Json.Describe(rule)}: {Ignored}");
            return null;
        }

        var peers = ReadList(rule, peersKey, $"{field}.{peersKey}", problems, PeerParser.Read);
        var ports = ReadList(rule, "ports", $"{field}.ports", problems, PortParser.Read);
        if (peers is null || ports is null)
        {
            return null;
        }

        return new PolicyRule(index, peers.Value.Any, peers.Value.Items, ports.Value.Any, ports.Value.Items);
    }

    /// <summary>
    /// Absent, null or [] means "any"; otherwise the valid entries (maybe none, then the rule matches
    /// nothing). Null when the value is not a list at all.
    /// </summary>
    private static (bool Any, ImmutableArray<T> Items)? ReadList<T>(
        JsonElement rule, string key, string field, ProblemCollector problems, Func<JsonElement, string, ProblemCollector, T?> readEntry)
        where T : class
    {
        if (!Json.TryGet(rule, key, out var list))
        {
            return (true, []);
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            problems.Add(field, $"must be a list, not {Json.Describe(list)}: {Ignored}");
            return null;
        }

        if (list.GetArrayLength() == 0)
        {
            return (true, []);
        }

        var items = ImmutableArray.CreateBuilder<T>();
        var index = 0;
        foreach (var entry in list.EnumerateArray())
        {
            if (readEntry(entry, $"{field}[{index}]", problems) is { } item)
            {
                items.Add(item);
            }

            index++;
        }

        return (false, items.ToImmutable());
    }
}
