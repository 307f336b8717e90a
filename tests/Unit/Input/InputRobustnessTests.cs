using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

/// <summary>Whatever the input, parsers report problems or syntax errors; they never throw anything else.</summary>
public sealed class InputRobustnessTests
{
    private static readonly string[] Fragments =
    [
        "apiVersion: v1\n", "kind: Pod\n", "kind: MultiNetworkPolicy\n", "metadata:\n", "  name: a\n", "spec:\n", "  ingress:\n",
        "  - from: [{}]\n", "- ", "{", "}", "[", "]", ": ", "&a ", "*a ", "<<: ", "'", "\"", "\t", "---\n", "!!int ", "80", "\n",
        "  podSelector: {matchLabels: {a: b}}\n", "ports: [{port: 0}]", "ipBlock: {cidr: 10.0.0.0/8}", ",", "# c\n", "|\n",
    ];

    private static Gen<string> Text() => Gen.ListOf(Gen.Elements(Fragments)).Select(parts => string.Concat(parts));

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Manifest_parser_only_ever_throws_syntax_errors() => Prop.ForAll(Text().ToArbitrary(), text =>
    {
        try
        {
            ManifestParser.Parse(text, "fuzz.yaml");
        }
        catch (ManifestSyntaxException e)
        {
            return e.Message.StartsWith("fuzz.yaml:", StringComparison.Ordinal) && !e.Message.Contains('\n', StringComparison.Ordinal);
        }

        return true;
    });

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Policy_parser_never_throws_on_any_json_shape()
    {
        var values = new[] { "null", "1", "\"s\"", "true", "[]", "{}", "[{}]", "[1]", "[\"Ingress\"]", "{\"matchLabels\":{\"a\":1}}", "[{\"from\":[{}],\"ports\":[{}]}]" };
        var gen = from podSelector in Gen.Elements(values)
                  from ingress in Gen.Elements(values)
                  from egress in Gen.Elements(values)
                  from types in Gen.Elements(values)
                  select $$$"""{"metadata":{"name":"p","namespace":"x"},"spec":{"podSelector":{{{podSelector}}},"ingress":{{{ingress}}},"egress":{{{egress}}},"policyTypes":{{{types}}}}}""";
        return Prop.ForAll(gen.ToArbitrary(), json =>
        {
            var parsed = MultiNetworkPolicyParser.Parse(JsonDocument.Parse(json).RootElement);
            return parsed.Value.Name == "p";
        });
    }
}
