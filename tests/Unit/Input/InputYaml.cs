using System.Text.Json;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

/// <summary>Turns a YAML snippet into the JSON the parsers read, so tests can be written as manifests are.</summary>
internal static class InputYaml
{
    /// <summary>The single object of <paramref name="yaml"/>, whatever its kind.</summary>
    public static JsonElement Element(string yaml)
    {
        var result = ManifestParser.Parse($"apiVersion: v1\nkind: Pod\nmetadata: {{name: holder}}\nspec:\n  value: {yaml}\n", "test.yaml");
        return result.Objects.Single().Json.GetProperty("spec").GetProperty("value");
    }

    /// <summary>A MultiNetworkPolicy in namespace x named p with policy-for net1 and the given spec (YAML).</summary>
    public static JsonElement Policy(string specYaml, string? policyFor = "net1", string apiVersion = "k8s.cni.cncf.io/v1beta1")
    {
        var annotation = policyFor is null ? string.Empty : $"\n  annotations:\n    k8s.v1.cni.cncf.io/policy-for: \"{policyFor}\"";
        var yaml = $"apiVersion: {apiVersion}\nkind: MultiNetworkPolicy\nmetadata:\n  name: p\n  namespace: x{annotation}\nspec:\n{Indent(specYaml)}\n";
        return ManifestParser.Parse(yaml, "policy.yaml").Objects.Single().Json;
    }

    private static string Indent(string yaml) =>
        string.Join('\n', yaml.Trim('\n').Split('\n').Select(line => "  " + line));
}
