using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

/// <summary>
/// Random anchor, alias, merge, nesting and size combinations: every input parses or ends in one line naming the
/// file, and what parses stays within the bounds it was read with (counted nodes and depth, not time).
/// </summary>
public sealed class YamlStructureProperties
{
    private const string Header = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labels:\n";

    /// <summary>Levels of anchors each aliasing the previous one <c>fanout</c> times, some with merge keys.</summary>
    private static Gen<string> Laughs() =>
        from levels in Gen.Choose(1, 9)
        from fanout in Gen.Choose(1, 12)
        from merge in Gen.Elements(true, false)
        select LaughsText(levels, fanout, merge);

    private static string LaughsText(int levels, int fanout, bool merge)
    {
        var text = new StringBuilder(Header).Append("    a0: &a0 {k: v, n: 1}\n");
        for (var level = 1; level < levels; level++)
        {
            var items = Enumerable.Range(0, fanout).Select(i => merge ? $"{{<<: *a{level - 1}, i{i}: {i}}}" : $"*a{level - 1}");
            text.Append($"    a{level}: &a{level} [{string.Join(", ", items)}]\n");
        }

        return text.ToString();
    }

    /// <summary>Nesting in flow lists, flow mappings or block sequences, any depth up to well past the limit.</summary>
    private static Gen<string> Nesting() =>
        from depth in Gen.Choose(1, 3000)
        from style in Gen.Choose(0, 2)
        select style switch
        {
            0 => Header + "    k: " + new string('[', depth) + new string(']', depth) + "\n",
            1 => Header + "    k: " + string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth) + "\n",
            _ => Header + "    k:\n" + string.Concat(Enumerable.Range(0, Math.Min(depth, 300)).Select(d => new string(' ', 6 + (2 * d)) + "-\n")),
        };

    /// <summary>Random fragments with anchors and aliases where they may or may not be defined.</summary>
    private static Gen<string> Fragments() =>
        Gen.ListOf(Gen.Elements(
            "&a ", "*a ", "&b [", "*b, ", "]", "{", "}", "<<: *a\n", "<<: ", "k: ", "- ", "\n", "  ", "---\n", "[*a, *a, *a]", "&c {x: *a}", "*c\n",
            "99999999999999999999999999999 ", "1e400 ", "-0x1 ", "0o777777777777777777777777 "))
        .Select(parts => Header + "    k: " + string.Concat(parts) + "\n");

    private static bool ParsesOrOneLine(string text)
    {
        try
        {
            ManifestParser.Parse(text, "fuzz.yaml");
            return true;
        }
        catch (ManifestSyntaxException e)
        {
            return e.Message.StartsWith("fuzz.yaml:", StringComparison.Ordinal) && !e.Message.Contains('\n', StringComparison.Ordinal);
        }
    }

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property Alias_bombs_parse_or_give_one_line() => Prop.ForAll(Laughs().ToArbitrary(), ParsesOrOneLine);

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property Any_nesting_parses_or_gives_one_line() => Prop.ForAll(Nesting().ToArbitrary(), ParsesOrOneLine);

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Anchor_and_alias_fragments_parse_or_give_one_line() => Prop.ForAll(Fragments().ToArbitrary(), ParsesOrOneLine);

    /// <summary>With small bounds: what is returned never holds more nodes or depth than allowed.</summary>
    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property What_parses_stays_within_the_bounds_it_was_read_with()
    {
        var gen = from text in Gen.OneOf(Laughs(), Nesting(), Fragments())
                  from maxDepth in Gen.Choose(1, 70)
                  from maxNodes in Gen.Choose(1, 5000)
                  from maxAliasNodes in Gen.Choose(0, 2000)
                  select (text, maxDepth, maxNodes, maxAliasNodes);
        return Prop.ForAll(gen.ToArbitrary(), c =>
        {
            List<(JsonNode? Root, long Line)> documents;
            try
            {
                documents = YamlToJson.ReadDocuments(c.text, c.maxDepth, c.maxNodes, c.maxAliasNodes);
            }
            catch (YamlDotNet.Core.YamlException)
            {
                return true;
            }

            var nodes = documents.Sum(d => Count(d.Root, 1, out _));
            var depth = documents.Max(d => { Count(d.Root, 1, out var deepest); return deepest; });
            return nodes <= c.maxNodes && depth <= c.maxDepth;
        });
    }

    /// <summary>Nodes of a tree (a null value is a node too) and the deepest list or mapping.</summary>
    private static long Count(JsonNode? node, int depth, out int deepest)
    {
        deepest = 0;
        var children = node switch
        {
            JsonArray array => array.ToList(),
            JsonObject obj => obj.Select(p => p.Value).ToList(),
            _ => null,
        };
        if (children is null)
        {
            return 1;
        }

        deepest = depth;
        long count = 1;
        foreach (var child in children)
        {
            count += Count(child, depth + 1, out var below);
            deepest = Math.Max(deepest, below);
        }

        return count;
    }
}
