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

    /// <summary>Each document's root value with the line it starts on; throws <see cref="YamlException"/> on bad YAML.</summary>
    public static List<(JsonNode? Root, long Line)> ReadDocuments(string text)
    {
        var parser = new TrackingParser(text);
        var documents = new List<(JsonNode?, long)>();
        parser.Consume<StreamStart>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            // The line of the document's content, not of its "---" marker: that is what a reader looks for.
            var line = parser.Current!.Start.Line;
            var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            var root = ReadNode(parser, anchors);
            parser.Consume<DocumentEnd>();
            documents.Add((root, line));
        }

        parser.Consume<StreamEnd>();
        return documents;
    }

    private static JsonNode? ReadNode(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
            }

            return anchored?.DeepClone();
        }

        var start = parser.Current as NodeEvent
            ?? throw new YamlException(parser.Current!.Start, parser.Current.End, "expected a value");
        JsonNode? node = start switch
        {
            Scalar scalar => ReadScalar(parser, scalar),
            SequenceStart => ReadSequence(parser, anchors),
            MappingStart => ReadMapping(parser, anchors),
            _ => throw new YamlException(start.Start, start.End, "expected a value"),
        };
        if (!start.Anchor.IsEmpty)
        {
            anchors[start.Anchor.Value] = node?.DeepClone();
        }

        return node;
    }

    private static JsonNode? ReadScalar(IParser parser, Scalar scalar)
    {
        parser.MoveNext();
        return ConvertScalar(scalar);
    }

    private static JsonArray ReadSequence(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        parser.Consume<SequenceStart>();
        var array = new JsonArray();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            array.Add(ReadNode(parser, anchors));
        }

        return array;
    }

    private static JsonObject ReadMapping(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        parser.Consume<MappingStart>();
        var mapping = new JsonObject();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Current as Scalar
                ?? throw new YamlException(parser.Current!.Start, parser.Current.End, "mapping keys must be scalars");
            parser.MoveNext();
            var value = ReadNode(parser, anchors);
            if (key.Style == ScalarStyle.Plain && key.Value == "<<" && value is JsonObject merged)
            {
                Merge(mapping, merged);
                continue;
            }

            if (mapping.ContainsKey(key.Value))
            {
                throw new YamlException(key.Start, key.End, $"mapping key \"{key.Value}\" already defined");
            }

            mapping[key.Value] = value;
        }

        return mapping;
    }

    /// <summary>YAML merge key: the mapping's own keys win over merged ones.</summary>
    private static void Merge(JsonObject mapping, JsonObject merged)
    {
        foreach (var (key, value) in merged)
        {
            if (!mapping.ContainsKey(key))
            {
                mapping[key] = value?.DeepClone();
            }
        }
    }

    private static JsonNode? ConvertScalar(Scalar scalar)
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
                : JsonValue.Create(decimal.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
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

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex("^[0-9a-fA-F]{1,15}$")]
    private static partial Regex HexInteger();

    [GeneratedRegex("^[0-7]{1,20}$")]
    private static partial Regex OctalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
