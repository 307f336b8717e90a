using System.Text.Json;

namespace Mnp.Bench.Reference;

/// <summary>What the reference reads out of <c>nft --json list …</c> (knftables parses the same JSON): rules with their handle and comment, and object names.</summary>
internal static class NftJsonListing
{
    /// <summary>The handles of the rules in a <c>list chain</c> output, in order, with their comments (null when none).</summary>
    public static List<(long Handle, string? Comment)> Rules(string json)
    {
        var rules = new List<(long, string?)>();
        foreach (var rule in Objects(json, "rule"))
        {
            var comment = rule.TryGetProperty("comment", out var text) ? text.GetString() : null;
            rules.Add((rule.GetProperty("handle").GetInt64(), comment));
        }

        return rules;
    }

    /// <summary>The names of the objects of one kind (<c>chain</c>, <c>set</c>) in a <c>list chains</c>/<c>list sets</c> output.</summary>
    public static List<string> Names(string json, string kind) => [.. Objects(json, kind).Select(o => o.GetProperty("name").GetString()!)];

    private static IEnumerable<JsonElement> Objects(string json, string kind)
    {
        if (json.Length == 0)
        {
            yield break;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var item in document.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty(kind, out var value))
            {
                yield return value.Clone();
            }
        }
    }
}
