using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

/// <summary>
/// Huge, negative, fractional and exponent numbers in every field that holds a number (and in some that hold
/// strings), as YAML and as JSON: the snapshot is built, every problem is one line, nothing else is thrown.
/// </summary>
public sealed class NumberProperties
{
    private static readonly string[] Fields =
    [
        "pod.containerPort", "pod.hostPort", "pod.name", "pod.namespace", "pod.label",
        "policy.port", "policy.endPort", "policy.cidr", "policy.name", "policy.type",
        "nad.config", "nad.name", "ns.label",
    ];

    private static Gen<string> Numbers() =>
        from digits in Gen.Choose(1, 400)
        from first in Gen.Choose(1, 9)
        from sign in Gen.Elements("", "-", "+")
        from zeros in Gen.Elements("", "0", "000")
        from fraction in Gen.Elements("", ".5", ".0000001", ".")
        from exponent in Gen.Elements("", "e5", "E-5", "e400", "e-400", "e+9999")
        from form in Gen.Choose(0, 5)
        select form switch
        {
            0 => sign + zeros + first + new string('9', digits - 1),
            1 => sign + first + new string('0', Math.Min(digits, 30)) + fraction + exponent,
            2 => "0x" + new string('F', digits),
            3 => "0o" + new string('7', digits),
            4 => sign + first.ToString(CultureInfo.InvariantCulture) + exponent,
            _ => sign + "65536",
        };

    private static string Manifest(string field, string value) => field switch
    {
        "pod.containerPort" or "pod.hostPort" or "pod.name" or "pod.namespace" or "pod.label" => $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{(field == "pod.name" ? value : "a")}}
              namespace: {{(field == "pod.namespace" ? value : "x")}}
              labels: {app: {{(field == "pod.label" ? value : "a")}}}
            spec:
              containers:
              - name: c
                ports:
                - containerPort: {{(field == "pod.containerPort" ? value : "80")}}
                  hostPort: {{(field == "pod.hostPort" ? value : "8080")}}
            """,
        "nad.config" or "nad.name" => $$"""
            apiVersion: k8s.cni.cncf.io/v1
            kind: NetworkAttachmentDefinition
            metadata: {name: {{(field == "nad.name" ? value : "n")}}, namespace: x}
            spec: {config: {{(field == "nad.config" ? value : "'{\"type\":\"macvlan\"}'")}}}
            """,
        "ns.label" => $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: x, labels: {{a: {value}}}}}\n",
        _ => $$$"""
            apiVersion: k8s.cni.cncf.io/v1beta1
            kind: MultiNetworkPolicy
            metadata:
              name: {{{(field == "policy.name" ? value : "p")}}}
              namespace: x
              annotations: {k8s.v1.cni.cncf.io/policy-for: n}
            spec:
              podSelector: {}
              policyTypes: [{{{(field == "policy.type" ? value : "Ingress")}}}]
              ingress:
              - from: [{ipBlock: {cidr: {{{(field == "policy.cidr" ? value : "10.0.0.0/8")}}}}}]
                ports: [{port: {{{(field == "policy.port" ? value : "80")}}}, endPort: {{{(field == "policy.endPort" ? value : "90")}}}}]
            """,
    };

    private static bool BuildsWithOneLineProblems(string text, string source)
    {
        try
        {
            var snapshot = ClusterSnapshotBuilder.FromManifests(ManifestParser.Parse(text, source).Objects);
            return snapshot.Problems.All(p => !p.ToString().Contains('\n', StringComparison.Ordinal));
        }
        catch (ManifestSyntaxException e)
        {
            return e.Message.StartsWith(source + ":", StringComparison.Ordinal) && !e.Message.Contains('\n', StringComparison.Ordinal);
        }
    }

    [FsCheck.Xunit.Property(MaxTest = 400)]
    public Property Any_number_in_any_yaml_field_builds_or_is_one_line()
    {
        var gen = from field in Gen.Elements(Fields)
                  from value in Numbers()
                  select (field, value);
        return Prop.ForAll(gen.ToArbitrary(), c => BuildsWithOneLineProblems(Manifest(c.field, c.value), "numbers.yaml"));
    }

    /// <summary>The same manifests as JSON (flow YAML that System.Text.Json reads when the number is valid JSON).</summary>
    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Any_json_number_in_a_port_field_builds_or_is_one_line()
    {
        var gen = from digits in Gen.Choose(1, 400)
                  from negative in Gen.Elements(true, false)
                  from exponent in Gen.Elements("", "e400", "E-400", ".5")
                  from field in Gen.Elements("containerPort", "hostPort")
                  select (value: (negative ? "-" : "") + "9" + new string('8', digits - 1) + exponent, field);
        return Prop.ForAll(gen.ToArbitrary(), c => BuildsWithOneLineProblems(
            $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"x"},"spec":{"containers":[{"name":"c","ports":[{"{{{c.field}}}":{{{c.value}}}}]}]}}""",
            "numbers.json"));
    }

    [Fact]
    public void A_29_digit_port_is_a_field_problem_naming_the_field()
    {
        var snapshot = ClusterSnapshotBuilder.FromManifests(ManifestParser.Parse(Manifest("policy.port", "99999999999999999999999999999"), "t.yaml").Objects);

        var problem = Assert.Single(snapshot.Problems);
        Assert.Equal("spec.ingress[0].ports[0].port", problem.Field);
        Assert.Equal("MultiNetworkPolicy", problem.Kind);
    }
}
