using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace Mnp.Policy.Input;

/// <summary>
/// Reads manifest text (YAML with one or more documents, or JSON; <c>kind: List</c> and other
/// <c>*List</c> kinds expand to their items) into the supported objects. Unknown kinds and objects
/// without a name are skipped with a warning; text that does not parse throws a
/// <see cref="ManifestSyntaxException"/> naming the source and line.
/// </summary>
public static class ManifestParser
{
    public static ManifestParseResult Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > ManifestLimits.MaxFileBytes)
        {
            throw new ManifestSyntaxException(source, 1, $"{text.Length} characters is more than the {ManifestLimits.MaxFileBytes} a manifest may hold (the limit)");
        }

        var objects = ImmutableArray.CreateBuilder<ManifestObject>();
        var warnings = ImmutableArray.CreateBuilder<string>();
        foreach (var (root, line) in ReadDocuments(text, source))
        {
            switch (root)
            {
                case null:
                    break;
                case JsonObject obj:
                    Collect(obj, source, line, objects, warnings);
                    break;
                case JsonArray array:
                    CollectItems(array, source, line, objects, warnings);
                    break;
                default:
                    throw new ManifestSyntaxException(source, line, "a document must be an object, not a plain value");
            }
        }

        return new ManifestParseResult(objects.ToImmutable(), warnings.ToImmutable());
    }

    private static List<(JsonNode? Root, long Line)> ReadDocuments(string text, string source)
    {
        var isJsonFile = source.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        var trimmed = text.AsSpan().TrimStart();
        if (isJsonFile || trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                var options = new JsonDocumentOptions
                {
                    CommentHandling = JsonCommentHandling.Skip,
                    AllowDuplicateProperties = false,
                    MaxDepth = ManifestLimits.MaxDepth,
                };
                return [(JsonNode.Parse(text, documentOptions: options), 1)];
            }
            catch (JsonException e)
            {
                // Outside a .json file, a document starting with '{' may be flow-style YAML: let YAML have a go.
                if (isJsonFile || !IsYaml(text))
                {
                    throw new ManifestSyntaxException(source, (e.LineNumber ?? 0) + 1, JsonMessage(e), e);
                }
            }
        }

        try
        {
            return YamlToJson.ReadDocuments(text);
        }
        catch (YamlException e)
        {
            // The end mark is where the scanner gave up, which is where the reader should look.
            throw new ManifestSyntaxException(source, e.End.Line, YamlMessage(e), e);
        }
    }

    /// <summary>A flow-style YAML document can also start with '{': accept it when YAML reads it.</summary>
    private static bool IsYaml(string text)
    {
        try
        {
            YamlToJson.ReadDocuments(text);
            return true;
        }
        catch (YamlException)
        {
            return false;
        }
    }

    private static void Collect(
        JsonObject obj, string source, long line, ImmutableArray<ManifestObject>.Builder objects, ImmutableArray<string>.Builder warnings)
    {
        var kind = StringOf(obj["kind"]);
        var apiVersion = StringOf(obj["apiVersion"]);
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            CollectItems(items, source, line, objects, warnings);
            return;
        }

        var metadata = obj["metadata"] as JsonObject;
        var name = StringOf(metadata?["name"]);
        var where = $"{source}:{line}";
        if (kind is null || apiVersion is null)
        {
            warnings.Add($"{where}: skipped an object without apiVersion and kind");
            return;
        }

        if (!ManifestKinds.IsSupported(apiVersion, kind))
        {
            warnings.Add($"{where}: skipped {kind} {name} ({apiVersion}): not a kind mnp reads");
            return;
        }

        if (string.IsNullOrEmpty(name))
        {
            warnings.Add($"{where}: skipped a {kind} without metadata.name");
            return;
        }

        if (ManifestKinds.IsNamespaced(kind) && metadata?["namespace"] is { } given && StringOf(given) is null)
        {
            // Not "default": an object whose namespace cannot be read must not land in one it never named.
            warnings.Add($"{where}: skipped {kind} {name}: metadata.namespace must be a string, not {MessageText.Quote(given.ToJsonString())}");
            return;
        }

        var ns = ManifestKinds.IsNamespaced(kind) ? StringOf(metadata?["namespace"]) ?? "default" : null;
        var json = JsonSerializer.SerializeToElement(obj, JsonNodeContext.Default.JsonObject);
        objects.Add(new ManifestObject(apiVersion, kind, ns, name, json, source, (int)line));
    }

    private static void CollectItems(
        JsonArray items, string source, long line, ImmutableArray<ManifestObject>.Builder objects, ImmutableArray<string>.Builder warnings)
    {
        foreach (var item in items)
        {
            if (item is JsonObject obj)
            {
                Collect(obj, source, line, objects, warnings);
            }
            else
            {
                warnings.Add($"{source}:{line}: skipped a list item that is not an object");
            }
        }
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string JsonMessage(JsonException e)
    {
        // System.Text.Json appends "Path: $ | LineNumber: 2 | BytePositionInLine: 4."; the line is already in front.
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static string YamlMessage(YamlException e)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 1, Idx: 20) - (Line: 3, Col: 5, Idx: 24): ".
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && cut > 0 ? message[(cut + 3)..] : message;
    }
}
