using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mnp.Policy.Input;

/// <summary>
/// Builds the JSON tree of each document of one YAML stream within <see cref="ManifestLimits"/>: nesting is checked
/// before recursing, and every node made (an alias is a copy of its anchor, so it counts the anchor's nodes again)
/// is counted, so alias bombs and huge trees end in one <see cref="YamlException"/> at the node that passed a bound.
/// </summary>
internal sealed class YamlTreeReader(string text, int maxDepth, int maxNodes, int maxAliasNodes)
{
    private readonly TrackingParser _parser = new(text);
    private readonly Dictionary<string, (JsonNode? Node, long Nodes, int Height)> _anchors = new(StringComparer.Ordinal);
    private long _nodes;

    /// <summary>The nesting of lists and mappings in the node <see cref="ReadNode"/> returned last (a scalar is 0).</summary>
    private int _height;
    private long _aliasNodes;

    public List<(JsonNode? Root, long Line)> ReadDocuments()
    {
        var documents = new List<(JsonNode?, long)>();
        _parser.Consume<StreamStart>();
        while (_parser.TryConsume<DocumentStart>(out _))
        {
            // The line of the document's content, not of its "---" marker: that is what a reader looks for.
            var line = _parser.Current!.Start.Line;
            _anchors.Clear(); // anchors are local to their document
            var root = ReadNode(1);
            _parser.Consume<DocumentEnd>();
            documents.Add((root, line));
        }

        _parser.Consume<StreamEnd>();
        return documents;
    }

    /// <param name="depth">The depth a collection read here would have (the root is 1).</param>
    private JsonNode? ReadNode(int depth)
    {
        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                throw new YamlException(alias.Start, alias.End, $"unknown alias *{alias.Value.Value}");
            }

            // A copy nests as deep as its anchor did, wherever it lands.
            CheckDepth(depth + anchored.Height - 1, alias);
            CountAliased(anchored.Nodes, alias);
            _height = anchored.Height;
            return anchored.Node?.DeepClone();
        }

        var start = _parser.Current as NodeEvent
            ?? throw new YamlException(_parser.Current!.Start, _parser.Current.End, "expected a value");
        var before = _nodes;
        Count(1, start);
        if (start is SequenceStart or MappingStart)
        {
            CheckDepth(depth, start);
        }

        JsonNode? node = start switch
        {
            Scalar scalar => ReadScalar(scalar),
            SequenceStart => ReadSequence(depth),
            MappingStart => ReadMapping(depth),
            _ => throw new YamlException(start.Start, start.End, "expected a value"),
        };
        if (!start.Anchor.IsEmpty)
        {
            // The node itself is kept (it is never changed after this): each alias makes its own copy.
            _anchors[start.Anchor.Value] = (node, _nodes - before, _height);
        }

        return node;
    }

    private JsonNode? ReadScalar(Scalar scalar)
    {
        _parser.MoveNext();
        _height = 0;
        return YamlToJson.ConvertScalar(scalar);
    }

    private JsonArray ReadSequence(int depth)
    {
        _parser.Consume<SequenceStart>();
        var array = new JsonArray();
        var height = 0;
        while (!_parser.TryConsume<SequenceEnd>(out _))
        {
            array.Add(ReadNode(depth + 1));
            height = Math.Max(height, _height);
        }

        _height = height + 1;
        return array;
    }

    private JsonObject ReadMapping(int depth)
    {
        _parser.Consume<MappingStart>();
        var mapping = new JsonObject();
        var height = 0;
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var key = _parser.Current as Scalar
                ?? throw new YamlException(_parser.Current!.Start, _parser.Current.End, "mapping keys must be scalars");
            _parser.MoveNext();
            var before = _nodes;
            var value = ReadNode(depth + 1);
            height = Math.Max(height, _height);
            if (key.Style == ScalarStyle.Plain && key.Value == "<<" && value is JsonObject merged)
            {
                CountAliased(_nodes - before, key); // the merged entries are copied once more
                Merge(mapping, merged);
                continue;
            }

            if (mapping.ContainsKey(key.Value))
            {
                throw new YamlException(key.Start, key.End, $"mapping key \"{key.Value}\" already defined");
            }

            mapping[key.Value] = value;
        }

        _height = height + 1;
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

    private void CheckDepth(int depth, ParsingEvent at)
    {
        if (depth > maxDepth)
        {
            throw new YamlException(at.Start, at.End, $"lists and mappings are nested more than {maxDepth} deep (the limit)");
        }
    }

    private void CountAliased(long nodes, ParsingEvent at)
    {
        _aliasNodes += nodes;
        if (_aliasNodes > maxAliasNodes)
        {
            throw new YamlException(at.Start, at.End, string.Create(
                CultureInfo.InvariantCulture, $"aliases expand to more than {maxAliasNodes} nodes (the limit against alias bombs)"));
        }

        Count(nodes, at);
    }

    private void Count(long nodes, ParsingEvent at)
    {
        _nodes += nodes;
        if (_nodes > maxNodes)
        {
            throw new YamlException(at.Start, at.End, string.Create(CultureInfo.InvariantCulture, $"more than {maxNodes} YAML nodes in one file (the limit)"));
        }
    }
}
