using System.Text;
using System.Text.Json;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

/// <summary>Issue 7 item 4: a few hundred hostile bytes cost a bounded amount, and end in one line naming the file.</summary>
public sealed class ManifestLimitsTests
{
    private const string Header = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labels:\n";

    /// <summary>The 7 levels of 9 of the issue: 9^7 = 4,782,969 strings if the aliases were copied out.</summary>
    private static string BillionLaughs(int levels)
    {
        var text = new StringBuilder(Header).Append("    a0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
        for (var level = 1; level < levels; level++)
        {
            text.Append($"    a{level}: &a{level} [{string.Join(',', Enumerable.Repeat($"*a{level - 1}", 9))}]\n");
        }

        return text.ToString();
    }

    private static string Nested(int depth, char open = '[', char close = ']') =>
        Header + "    k: " + new string(open, depth) + new string(close, depth) + "\n";

    private static ManifestSyntaxException Refused(string text, string source = "t.yaml") =>
        Assert.Throws<ManifestSyntaxException>(() => ManifestParser.Parse(text, source));

    [Fact]
    public void The_billion_laughs_of_the_issue_is_one_line_naming_the_file_and_the_limit()
    {
        var text = BillionLaughs(7);
        Assert.InRange(Encoding.UTF8.GetByteCount(text), 300, 500);

        var error = Refused(text, "laughs.yaml");

        Assert.Equal($"laughs.yaml:11: aliases expand to more than {ManifestLimits.MaxAliasNodes} nodes (the limit against alias bombs)", error.Message);
    }

    [Fact]
    public void Alias_expansion_stops_at_the_alias_that_passes_the_bound_and_counts_every_copied_node()
    {
        // a0 is 10 nodes (a list of 9); a1 copies it 9 times (90) and is 91 nodes; a2 copies a1 9 times (819).
        var text = BillionLaughs(3);

        var ok = YamlToJson.ReadDocuments(text, maxDepth: 64, maxNodes: 10_000, maxAliasNodes: 90 + 819);
        var refused = Assert.Throws<YamlDotNet.Core.YamlException>(() => YamlToJson.ReadDocuments(text, 64, 10_000, 90 + 819 - 1));

        var labels = ok.Single().Root!["metadata"]!["labels"]!;
        Assert.Equal(9 * 9, labels["a2"]!.AsArray().Sum(inner => inner!.AsArray().Count));
        Assert.Contains("aliases expand to more than 908 nodes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_keys_count_as_aliases_because_they_copy_the_merged_entries()
    {
        var text = "a: &m {x: 1, y: 2}\nb:\n  <<: *m\n  z: 3\n";

        // *m copies 3 nodes and the merge copies them again.
        Assert.Equal(2, YamlToJson.ReadDocuments(text, 64, 100, 6).Single().Root!["b"]!["y"]!.GetValue<long>());
        Assert.Throws<YamlDotNet.Core.YamlException>(() => YamlToJson.ReadDocuments(text, 64, 100, 5));
    }

    [Fact]
    public void The_total_node_count_of_a_file_is_bounded_without_aliases_too()
    {
        var text = "- [" + string.Join(',', Enumerable.Repeat("1", 50)) + "]\n";

        var error = Assert.Throws<YamlDotNet.Core.YamlException>(() => YamlToJson.ReadDocuments(text, 64, 40, 0));

        Assert.Contains("more than 40 YAML nodes in one file (the limit)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(100_000)]
    public void Yaml_nested_past_64_is_one_line_not_a_trace_or_a_stack_overflow(int depth)
    {
        var error = Refused(Nested(depth), "deep.yaml");

        Assert.Equal("deep.yaml:6: lists and mappings are nested more than 64 deep (the limit)", error.Message);
    }

    [Fact]
    public void Yaml_nested_exactly_64_deep_is_read_and_survives_serialisation()
    {
        // The root mapping, metadata and labels are 3 levels; 61 lists make 64.
        var parsed = ManifestParser.Parse(Nested(61), "t.yaml");

        var labels = Assert.Single(parsed.Objects).Json.GetProperty("metadata").GetProperty("labels");
        Assert.Equal(JsonValueKind.Array, labels.GetProperty("k").ValueKind);
        Assert.Throws<ManifestSyntaxException>(() => ManifestParser.Parse(Nested(62), "t.yaml"));
    }

    [Fact]
    public void An_alias_nests_as_deep_as_its_anchor_wherever_it_lands()
    {
        // Found by the structure property: each part is shallow, the copy is not (3 + 40 + 30 levels).
        var text = Header + "    a: &d " + new string('[', 30) + new string(']', 30) + "\n    b: " + new string('[', 40) + "*d" + new string(']', 40) + "\n";

        Assert.Contains("nested more than 64 deep", Refused(text).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_flow_mappings_are_bounded_like_lists()
    {
        var text = Header + "    k: " + string.Concat(Enumerable.Repeat("{a: ", 5_000)) + "1" + new string('}', 5_000) + "\n";

        Assert.Contains("nested more than 64 deep", Refused(text).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("t.json")]
    [InlineData("t.yaml")]
    public void Json_nested_100000_deep_is_one_line(string source)
    {
        var text = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"x\",\"k\":" + new string('[', 100_000) + new string(']', 100_000) + "}}";

        var error = Refused(text, source);

        Assert.StartsWith($"{source}:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_past_the_file_limit_is_refused_before_it_is_parsed()
    {
        var text = new string('#', ManifestLimits.MaxFileBytes + 1);

        var error = Refused(text, "huge.yaml");

        Assert.Equal($"huge.yaml:1: {ManifestLimits.MaxFileBytes + 1} characters is more than the {ManifestLimits.MaxFileBytes} a manifest may hold (the limit)", error.Message);
    }

    [Theory]
    [InlineData("99999999999999999999999999999", "99999999999999999999999999999")]
    [InlineData("-99999999999999999999999999999999999999", "-99999999999999999999999999999999999999")]
    [InlineData("+000123456789012345678901234567890", "123456789012345678901234567890")]
    [InlineData("9223372036854775808", "9223372036854775808")]
    public void Integers_past_64_bits_stay_numbers_with_every_digit(string plain, string json)
    {
        var spec = ManifestParser.Parse($"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  n: {plain}\n", "t.yaml").Objects.Single().Json.GetProperty("spec");

        Assert.Equal(JsonValueKind.Number, spec.GetProperty("n").ValueKind);
        Assert.Equal(json, spec.GetProperty("n").GetRawText());
    }
}
