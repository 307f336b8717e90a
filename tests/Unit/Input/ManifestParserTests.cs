using System.Text.Json;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

public sealed class ManifestParserTests
{
    private static JsonElement Spec(string specYaml) =>
        ManifestParser.Parse($"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n{specYaml}\n", "t.yaml").Objects.Single().Json.GetProperty("spec");

    [Fact]
    public void Plain_80_is_a_number_and_quoted_80_a_string()
    {
        var spec = Spec("  plain: 80\n  double: \"80\"\n  single: '80'\n  block: |\n    80\n  tagged: !!str 80");

        Assert.Equal(JsonValueKind.Number, spec.GetProperty("plain").ValueKind);
        Assert.Equal(80, spec.GetProperty("plain").GetInt32());
        Assert.Equal("80", spec.GetProperty("double").GetString());
        Assert.Equal("80", spec.GetProperty("single").GetString());
        Assert.Equal("80\n", spec.GetProperty("block").GetString());
        Assert.Equal("80", spec.GetProperty("tagged").GetString());
    }

    [Theory]
    [InlineData("true", JsonValueKind.True)]
    [InlineData("False", JsonValueKind.False)]
    [InlineData("null", JsonValueKind.Null)]
    [InlineData("~", JsonValueKind.Null)]
    [InlineData("", JsonValueKind.Null)]
    [InlineData("-12", JsonValueKind.Number)]
    [InlineData("0x1F", JsonValueKind.Number)]
    [InlineData("0o17", JsonValueKind.Number)]
    [InlineData("1.5e3", JsonValueKind.Number)]
    [InlineData("on", JsonValueKind.String)]
    [InlineData("yes", JsonValueKind.String)]
    [InlineData("off", JsonValueKind.String)]
    [InlineData(".inf", JsonValueKind.String)]
    [InlineData("10.0.0.0/8", JsonValueKind.String)]
    [InlineData("1.2.3", JsonValueKind.String)]
    [InlineData("\"true\"", JsonValueKind.String)]
    public void Scalars_resolve_with_the_YAML_1_2_core_schema(string scalar, JsonValueKind kind) =>
        Assert.Equal(kind, Spec($"  v: {scalar}").GetProperty("v").ValueKind);

    [Fact]
    public void Numbers_keep_their_values()
    {
        var spec = Spec("  hex: 0x1F\n  octal: 0o17\n  real: 1.5e3\n  big: 12345678901234567890");

        Assert.Equal(31, spec.GetProperty("hex").GetInt32());
        Assert.Equal(15, spec.GetProperty("octal").GetInt32());
        Assert.Equal(1500, spec.GetProperty("real").GetDouble());
        Assert.Equal(12345678901234567890m, spec.GetProperty("big").GetDecimal());
    }

    [Fact]
    public void Multi_document_yaml_keeps_file_order_and_skips_empty_documents()
    {
        var result = ManifestParser.Parse("---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\n", "m.yaml");

        Assert.Equal(["Namespace x", "Pod x/a"], result.Objects.Select(o => o.ToString()));
        Assert.Equal([2, 7], result.Objects.Select(o => o.Line));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Namespaced_objects_without_namespace_are_in_default()
    {
        var pod = ManifestParser.Parse("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n", "m.yaml").Objects.Single();

        Assert.Equal("default", pod.Namespace);
    }

    [Fact]
    public void Lists_expand_to_their_items()
    {
        var result = ManifestParser.Parse("""
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: Namespace, metadata: {name: x}}
            - apiVersion: v1
              kind: PodList
              items: [{apiVersion: v1, kind: Pod, metadata: {name: a, namespace: x}}]
            - {apiVersion: k8s.cni.cncf.io/v1beta2, kind: MultiNetworkPolicy, metadata: {name: p, namespace: x}, spec: {}}
            """, "l.yaml");

        Assert.Equal(["Namespace x", "Pod x/a", "MultiNetworkPolicy x/p"], result.Objects.Select(o => o.ToString()));
    }

    [Fact]
    public void Unknown_kinds_and_versions_are_skipped_with_a_warning()
    {
        var result = ManifestParser.Parse("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            ---
            apiVersion: k8s.cni.cncf.io/v1alpha1
            kind: MultiNetworkPolicy
            metadata: {name: p}
            ---
            metadata: {name: nothing}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {}
            """, "u.yaml");

        Assert.Empty(result.Objects);
        Assert.Equal(
            [
                "u.yaml:1: skipped Deployment d (apps/v1): not a kind mnp reads",
                "u.yaml:5: skipped MultiNetworkPolicy p (k8s.cni.cncf.io/v1alpha1): not a kind mnp reads",
                "u.yaml:9: skipped an object without apiVersion and kind",
                "u.yaml:11: skipped a Pod without metadata.name",
            ],
            result.Warnings.AsEnumerable());
    }

    [Fact]
    public void Json_text_is_read_as_json()
    {
        var result = ManifestParser.Parse("""
            {"apiVersion": "v1", "kind": "List", "items": [
              {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "x"}, "spec": {"port": "80"}}]}
            """, "p.json");

        var pod = Assert.Single(result.Objects);
        Assert.Equal(JsonValueKind.String, pod.Json.GetProperty("spec").GetProperty("port").ValueKind);
    }

    [Fact]
    public void Flow_yaml_starting_with_a_brace_is_still_yaml()
    {
        var result = ManifestParser.Parse("{apiVersion: v1, kind: Namespace, metadata: {name: x}}", "flow.yaml");

        Assert.Equal("Namespace x", Assert.Single(result.Objects).ToString());
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_resolve()
    {
        var spec = Spec("  base: &sel {matchLabels: {pod: a}}\n  copy: *sel\n  merged:\n    <<: *sel\n    extra: 1");

        Assert.Equal("a", spec.GetProperty("copy").GetProperty("matchLabels").GetProperty("pod").GetString());
        Assert.Equal("a", spec.GetProperty("merged").GetProperty("matchLabels").GetProperty("pod").GetString());
        Assert.Equal(1, spec.GetProperty("merged").GetProperty("extra").GetInt32());
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   bad: indent\n", "bad.yaml:5: While scanning a plain scalar value, found invalid mapping.")]
    [InlineData("a: b\n\tc: d\n", "bad.yaml:2: While scanning a plain scalar, found a tab character")]
    [InlineData("a: b\na: [\n  1,\n  2\nq: 4\n", "bad.yaml:")]
    [InlineData("a: !!int abc\n", "bad.yaml:1: \"abc\" is not a valid !!int")]
    [InlineData("apiVersion: v1\nkind: Pod\nkind: Namespace\n", "bad.yaml:3: mapping key \"kind\" already defined")]
    [InlineData("apiVersion: v1\nkind: [Pod\n", "bad.yaml:")]
    [InlineData("just a string\n", "bad.yaml:1: a document must be an object, not a plain value")]
    [InlineData("a: *nowhere\n", "bad.yaml:1: unknown alias *nowhere")]
    public void Yaml_syntax_errors_name_the_source_and_line(string text, string messageStart)
    {
        var error = Assert.Throws<ManifestSyntaxException>(() => ManifestParser.Parse(text, "bad.yaml"));

        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("(Line:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_syntax_errors_name_the_source_and_line()
    {
        var error = Assert.Throws<ManifestSyntaxException>(() => ManifestParser.Parse("{\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": }\n}", "bad.json"));

        Assert.StartsWith("bad.json:3: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Path:", error.Message, StringComparison.Ordinal);
    }
}
