using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mnp.Policy.Input;

/// <summary>
/// Converts a YAML stream into one JSON value per document, keeping scalar types as the YAML 1.2 core
/// schema resolves them: a plain <c>80</c> is a number but a quoted <c>"80"</c> a string; plain
/// true/false/null are boolean/null; everything else (including <c>on</c>, <c>yes</c>) is a string.
/// </summary>
internal static partial class YamlToJson
{
    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    /// <summary>
    /// Each document's root value with the line it starts on, within <see cref="ManifestLimits"/>; throws
    /// <see cref="YamlException"/> on bad YAML or on a document past a limit.
    /// </summary>
    public static List<(JsonNode? Root, long Line)> ReadDocuments(string text) =>
        ReadDocuments(text, ManifestLimits.MaxDepth, ManifestLimits.MaxNodes, ManifestLimits.MaxAliasNodes);

    /// <summary>As <see cref="ReadDocuments(string)"/> with other bounds (tests use small ones).</summary>
    public static List<(JsonNode? Root, long Line)> ReadDocuments(string text, int maxDepth, int maxNodes, int maxAliasNodes) =>
        new YamlTreeReader(text, maxDepth, maxNodes, maxAliasNodes).ReadDocuments();

    internal static JsonNode? ConvertScalar(Scalar scalar)
    {
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
        {
            return ConvertTagged(scalar);
        }

        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return JsonValue.Create(scalar.Value);
        }

        return ResolvePlain(scalar.Value);
    }

    private static JsonNode? ConvertTagged(Scalar scalar)
    {
        var tag = scalar.Tag.Value;
        var expected = tag switch
        {
            CoreTagPrefix + "null" => JsonValueKind.Null,
            CoreTagPrefix + "bool" => JsonValueKind.True,
            CoreTagPrefix + "int" or CoreTagPrefix + "float" => JsonValueKind.Number,
            _ => JsonValueKind.String,
        };
        if (expected == JsonValueKind.String)
        {
            return JsonValue.Create(scalar.Value);
        }

        var resolved = ResolvePlain(scalar.Value);
        var kind = resolved?.GetValueKind() ?? JsonValueKind.Null;
        var matches = expected == JsonValueKind.True ? kind is JsonValueKind.True or JsonValueKind.False : kind == expected;
        return matches
            ? resolved
            : throw new YamlException(scalar.Start, scalar.End, $"\"{scalar.Value}\" is not a valid !!{tag[CoreTagPrefix.Length..]}");
    }

    /// <summary>YAML 1.2 core schema resolution of a plain scalar.</summary>
    private static JsonNode? ResolvePlain(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (DecimalInteger().IsMatch(text))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? JsonValue.Create(number)
                : BigInteger(text);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && HexInteger().IsMatch(text[2..])
            && long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && hex >= 0)
        {
            return JsonValue.Create(hex);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && OctalInteger().IsMatch(text[2..]))
        {
            return JsonValue.Create(Convert.ToInt64(text[2..], 8));
        }

        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }

        // .inf and .nan have no JSON form; like every other plain scalar they stay strings.
        return JsonValue.Create(text);
    }

    /// <summary>
    /// An integer past 64 bits stays a JSON number with all its digits (no decimal or double to overflow or round):
    /// the field that reads it then says it is out of range, as it would for the same number in a JSON manifest.
    /// </summary>
    private static JsonNode BigInteger(string text)
    {
        var negative = text[0] == '-';
        var digits = text.AsSpan().TrimStart("+-").TrimStart('0');
        var json = digits.IsEmpty ? "0" : (negative ? "-" : string.Empty) + digits.ToString();
        return JsonNode.Parse(json)!;
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex("^[0-9a-fA-F]{1,15}$")]
    private static partial Regex HexInteger();

    [GeneratedRegex("^[0-7]{1,20}$")]
    private static partial Regex OctalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
