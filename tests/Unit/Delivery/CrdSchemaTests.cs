using System.Text.Json.Nodes;

namespace Mnp.Tests.Unit.Delivery;

/// <summary>
/// The CRD in deploy/crd: its versions, a structural schema, and what that schema accepts and rejects,
/// judged by <see cref="StructuralSchema"/> (the API server's structural validation, re-implemented for
/// the keywords the CRD uses; there is no API server here).
/// </summary>
public sealed class CrdSchemaTests
{
    [Fact]
    public async Task Crd_serves_v1beta1_as_storage_and_v1beta2_with_one_schema()
    {
        var crd = Kustomize.Single(await Kustomize.BuildAsync("crd"), "CustomResourceDefinition");

        Assert.Equal("multi-networkpolicies.k8s.cni.cncf.io", Kustomize.Name(crd));
        Assert.Equal("k8s.cni.cncf.io", (string)crd["spec"]!["group"]!);
        Assert.Equal("Namespaced", (string)crd["spec"]!["scope"]!);
        Assert.Equal("MultiNetworkPolicy", (string)crd["spec"]!["names"]!["kind"]!);
        Assert.Equal("multi-networkpolicies", (string)crd["spec"]!["names"]!["plural"]!);
        var versions = crd["spec"]!["versions"]!.AsArray().Select(v => v!.AsObject()).ToList();
        Assert.Equal(["v1beta1 served storage", "v1beta2 served"], versions.Select(v =>
            $"{(string)v["name"]!}{((bool)v["served"]! ? " served" : "")}{((bool)v["storage"]! ? " storage" : "")}"));
        Assert.True(JsonNode.DeepEquals(versions[0]["schema"], versions[1]["schema"]), "v1beta1 and v1beta2 have different schemas");
    }

    [Fact]
    public void Schema_is_structural_and_uses_only_checked_keywords()
    {
        var problems = StructuralSchema.CheckStructural(Schema());

        Assert.Empty(problems);
    }

    [Fact]
    public void Structural_check_finds_a_field_without_type_and_an_unchecked_keyword()
    {
        var schema = JsonNode.Parse("""{"type": "object", "properties": {"a": {"description": "x"}, "b": {"type": "string", "x-kubernetes-validations": []}}}""")!.AsObject();

        Assert.Equal([".a: no type", ".b: keyword x-kubernetes-validations is not checked here"], StructuralSchema.CheckStructural(schema).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Schema_accepts_every_policy_in_examples_and_the_test_fixtures()
    {
        var schema = Schema();
        var files = Directory.GetFiles(RepositoryPaths.Combine("examples"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(RepositoryPaths.Combine("tests", "Unit", "Cli", "Fixtures"), "*.yaml"));
        var policies = files.SelectMany(f => Kustomize.ParseObjects(File.ReadAllText(f)).Select(o => (File: f, Object: o)))
            .Where(p => Kustomize.Kind(p.Object) == "MultiNetworkPolicy")
            .ToList();

        Assert.True(policies.Count >= 3, $"only {policies.Count} example policies found");
        foreach (var (file, policy) in policies)
        {
            Assert.Empty(StructuralSchema.Validate(schema, policy).Select(e => $"{Path.GetFileName(file)} {Kustomize.Name(policy)}: {e}"));
        }
    }

    [Theory]
    [InlineData("ingress: [{}]")]
    [InlineData("policyTypes: [Ingress, Egress]\negress: []")]
    [InlineData("ingress: [{ports: [{}, {protocol: SCTP}, {port: 80}, {port: http}, {protocol: UDP, port: 5000, endPort: 5100}]}]")]
    [InlineData("egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}, {ipBlock: {cidr: 'fd00::/64'}}]}]")]
    [InlineData("ingress: [{from: [{namespaceSelector: {}, podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [a, b]}, {key: tier, operator: Exists}]}}]}]")]
    [InlineData("ingress: [{from: [{podSelector: {matchLabels: {app: web, empty: ''}}}]}]")]
    public void Schema_accepts_every_valid_construct_of_the_spec(string spec)
    {
        Assert.Empty(StructuralSchema.Validate(Schema(), Policy(spec)));
    }

    /// <summary>The invalid input of docs/semantics.md §6 that a schema can express, each with the field the API server names.</summary>
    [Theory]
    [InlineData("ingress: {from: []}", ".spec.ingress: must be of type array")]
    [InlineData("policyTypes: [ingress]", ".spec.policyTypes[0]: \"ingress\" is not one of [\"Ingress\",\"Egress\"]")]
    [InlineData("ingress: [{ports: [{protocol: ICMP}]}]", ".spec.ingress[0].ports[0].protocol: \"ICMP\" is not one of [\"TCP\",\"UDP\",\"SCTP\"]")]
    [InlineData("ingress: [{ports: [{protocol: ''}]}]", ".spec.ingress[0].ports[0].protocol: \"\" is not one of [\"TCP\",\"UDP\",\"SCTP\"]")]
    [InlineData("ingress: [{ports: [{port: 80, endPort: 70000}]}]", ".spec.ingress[0].ports[0].endPort: above 65535")]
    [InlineData("ingress: [{ports: [{port: 80, endPort: '90'}]}]", ".spec.ingress[0].ports[0].endPort: must be of type integer")]
    [InlineData("ingress: [{ports: [{port: [80]}]}]", ".spec.ingress[0].ports[0].port: must be an integer or a string")]
    [InlineData("ingress: [{from: [{}]}]", ".spec.ingress[0].from[0]: must have at least 1 field(s)")]
    [InlineData("ingress: [{from: [{ipBlock: {except: [10.0.0.0/24]}}]}]", ".spec.ingress[0].from[0].ipBlock.cidr: required")]
    [InlineData("ingress: [{from: [{ipBlock: {cidr: 10.0.0.0}}]}]", ".spec.ingress[0].from[0].ipBlock.cidr: \"10.0.0.0\" is not a CIDR")]
    [InlineData("egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.300.0.0/16]}}]}]", ".spec.egress[0].to[0].ipBlock.except[0]: \"10.300.0.0/16\" is not a CIDR")]
    [InlineData("ingress: [{from: [{podSelector: {matchExpressions: [{key: app, operator: Contains}]}}]}]", ".spec.ingress[0].from[0].podSelector.matchExpressions[0].operator: \"Contains\" is not one of [\"In\",\"NotIn\",\"Exists\",\"DoesNotExist\"]")]
    [InlineData("ingress: [{from: [{namespaceSelector: {matchExpressions: [{operator: Exists}]}}]}]", ".spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].key: required")]
    [InlineData("ingress: [{from: [{podSelector: {matchLabels: {app: 'a b'}}}]}]", ".spec.ingress[0].from[0].podSelector.matchLabels.app: \"a b\" does not match ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    [InlineData("ingres: [{}]", ".spec.ingres: unknown field")]
    public void Schema_rejects_invalid_input_it_can_express_naming_the_field(string spec, string expected)
    {
        Assert.Equal([expected], StructuralSchema.Validate(Schema(), Policy(spec)));
    }

    [Fact]
    public void Schema_requires_a_pod_selector_as_NetworkPolicy_does()
    {
        var policy = Policy("ingress: [{}]");
        policy["spec"]!.AsObject().Remove("podSelector");

        Assert.Equal([".spec.podSelector: required"], StructuralSchema.Validate(Schema(), policy));
    }

    private static JsonObject Policy(string specBody)
    {
        var indented = string.Join('\n', specBody.Split('\n').Select(l => "  " + l));
        var yaml = $"apiVersion: k8s.cni.cncf.io/v1beta1\nkind: MultiNetworkPolicy\nmetadata: {{name: p, namespace: x}}\nspec:\n  podSelector: {{}}\n{indented}\n";
        return Assert.Single(Kustomize.ParseObjects(yaml));
    }

    /// <summary>Read straight from the file (no kubectl, which the version test runs): the theories need it many times.</summary>
    private static JsonObject Schema()
    {
        var crd = Kustomize.Single(Kustomize.ParseObjects(File.ReadAllText(RepositoryPaths.Combine("deploy", "crd", "crd.yaml"))), "CustomResourceDefinition");
        return crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
    }
}
