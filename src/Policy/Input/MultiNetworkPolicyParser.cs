using System.Text.Json;
using Mnp.Policy.Cluster;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Input;

/// <summary>
/// Reads a whole MultiNetworkPolicy object (k8s.cni.cncf.io/v1beta1 or v1beta2) into a
/// <see cref="PolicyInfo"/>, following docs/semantics.md §6: invalid rules, peers and ports are dropped and
/// reported (never widening access); a podSelector, policyTypes or spec structure that cannot be
/// understood gives <see cref="PolicyInfo.Spec"/> null (fail closed).
/// </summary>
public static class MultiNetworkPolicyParser
{
    public const string Kind = "MultiNetworkPolicy";

    internal const string FailClosed = "the policy cannot be understood: it isolates every pod of its namespace on its networks and allows nothing";

    /// <summary>Parses <paramref name="policy"/>; a missing metadata.namespace means <paramref name="defaultNamespace"/>.</summary>
    public static Parsed<PolicyInfo> Parse(JsonElement policy, string defaultNamespace = "default")
    {
        var (name, ns) = Json.NameOf(policy);
        ns ??= defaultNamespace;
        var problems = new ProblemCollector(Kind, ns, name);
        var policyFor = ReadPolicyFor(Json.Annotation(policy, Annotations.PolicyFor), ns, problems);
        var spec = ReadSpec(policy, ns, problems);
        return new Parsed<PolicyInfo>(new PolicyInfo(ns, name, policyFor, spec), problems.ToImmutable());
    }

    /// <summary>Reads the policy-for annotation: comma-separated <c>nad</c> or <c>ns/nad</c>, spaces ignored.</summary>
    public static ImmutableArray<NetworkRef> ReadPolicyFor(string? annotation, string policyNamespace, ProblemCollector problems)
    {
        var field = Annotations.Field(Annotations.PolicyFor);
        var networks = ImmutableArray.CreateBuilder<NetworkRef>();
        var seen = new HashSet<NetworkRef>(); // a list's Contains made 100,000 names quadratic
        foreach (var entry in (annotation ?? string.Empty).Split(','))
        {
            var compact = string.Concat(entry.Where(c => !char.IsWhiteSpace(c)));
            if (compact.Length == 0)
            {
                continue;
            }

            if (!NetworkRef.TryParse(compact, policyNamespace, out var network))
            {
                problems.Add(field, $"{MessageText.Quote(compact)} is not a network name (nad or namespace/nad); ignored");
                continue;
            }

            if (seen.Add(network))
            {
                networks.Add(network);
            }
        }

        if (networks.Count == 0)
        {
            problems.Add(field, annotation is null
                ? "missing: the policy applies to no network"
                : "names no network: the policy applies to no network");
        }

        return networks.ToImmutable();
    }

    private static PolicySpec? ReadSpec(JsonElement policy, string ns, ProblemCollector problems)
    {
        if (!Json.TryGet(policy, "spec", out var spec) || spec.ValueKind != JsonValueKind.Object)
        {
            problems.Add("spec", $"must be an object: {FailClosed}");
            return null;
        }

        // Every part is read even when an earlier one already failed, so that all problems are reported at once.
        var podSelector = ReadPodSelector(spec, problems);
        var ingress = ReadRuleList(spec, "ingress", "from", ns, problems);
        var egress = ReadRuleList(spec, "egress", "to", ns, problems);
        var types = ReadPolicyTypes(spec, egress?.Count ?? 0, problems);
        if (podSelector is null || ingress is null || egress is null || types is null)
        {
            return null;
        }

        return new PolicySpec(podSelector, types.Value.Ingress, types.Value.Egress, ingress.Value.Rules, egress.Value.Rules);
    }

    private static LabelSelector? ReadPodSelector(JsonElement spec, ProblemCollector problems)
    {
        // podSelector is a plain struct in the Go API: absent or null decodes as {} (every pod).
        if (!Json.TryGet(spec, "podSelector", out var selector))
        {
            return LabelSelector.Everything;
        }

        var before = problems.Count;
        var parsed = LabelSelectorParser.Parse(selector, "spec.podSelector", problems);
        if (parsed is null)
        {
            problems.Add("spec.podSelector", FailClosed);
        }

        return problems.Count == before ? parsed : null;
    }

    private static (bool Ingress, bool Egress)? ReadPolicyTypes(JsonElement spec, int egressRuleCount, ProblemCollector problems)
    {
        if (!Json.TryGet(spec, "policyTypes", out var types))
        {
            return (true, egressRuleCount > 0);
        }

        if (types.ValueKind != JsonValueKind.Array)
        {
            problems.Add("spec.policyTypes", $"must be a list, not {Json.Describe(types)}: {FailClosed}");
            return null;
        }

        if (types.GetArrayLength() == 0)
        {
            return (true, egressRuleCount > 0);
        }

        bool ingress = false, egress = false;
        var index = 0;
        foreach (var type in types.EnumerateArray())
        {
            switch (type.ValueKind == JsonValueKind.String ? type.GetString() : null)
            {
                case "Ingress":
                    ingress = true;
                    break;
                case "Egress":
                    egress = true;
                    break;
                default:
                    problems.Add($"spec.policyTypes[{index}]", $"unknown policy type {Json.Describe(type)} (must be Ingress or Egress): {FailClosed}");
                    return null;
            }

            index++;
        }

        return (ingress, egress);
    }

    /// <summary>Reads spec.ingress or spec.egress; null when the list itself is broken (fail closed).</summary>
    private static (ImmutableArray<PolicyRule> Rules, int Count)? ReadRuleList(
        JsonElement spec, string direction, string peersKey, string ns, ProblemCollector problems)
    {
        if (!Json.TryGet(spec, direction, out var list))
        {
            return ([], 0);
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"spec.{direction}", $"must be a list, not {Json.Describe(list)}: {FailClosed}");
            return null;
        }

        var rules = ImmutableArray.CreateBuilder<PolicyRule>();
        var index = 0;
        foreach (var rule in list.EnumerateArray())
        {
            if (RuleParser.Read(rule, index, $"spec.{direction}[{index}]", peersKey, problems) is { } parsed)
            {
                rules.Add(parsed);
            }

            index++;
        }

        return (rules.ToImmutable(), index);
    }
}
