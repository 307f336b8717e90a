using Mnp.Policy.Rules;
using Mnp.Tests.Support.E2e;

namespace Mnp.Tests.Unit.E2e;

/// <summary>
/// Every e2e case (the 48, mnp's extras, upstream's scenarios, IPv6) decided twice: by <see cref="EvaluatorChecker"/>
/// and by <see cref="CompiledRulesChecker"/> (compiled, rendered tables walked by the classifier).
/// </summary>
public sealed class E2eCaseTests
{
    public static TheoryData<string> CaseNames => [.. AllCases.Select(c => c.Name)];

    internal static IEnumerable<E2eCase> AllCases =>
        KubernetesE2eCases.All.Concat(MnpExtraCases.All).Concat(UpstreamScenarioCases.All).Concat(Ipv6Cases.All);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Evaluator_agrees_with_the_truth_table(string name)
    {
        var testCase = AllCases.Single(c => c.Name == name);

        var mismatches = E2eRunner.Mismatches(testCase, new EvaluatorChecker(PolicyOptions.Default));

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Compiled_rules_agree_with_the_truth_table(string name)
    {
        var testCase = AllCases.Single(c => c.Name == name);

        var mismatches = E2eRunner.Mismatches(testCase, new CompiledRulesChecker(PolicyOptions.Default));

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    [Fact]
    public void There_are_48_kubernetes_cases_with_unique_names()
    {
        Assert.Equal(48, KubernetesE2eCases.All.Length);
        Assert.Equal(AllCases.Count(), AllCases.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public void A_wrong_truth_table_is_reported()
    {
        // Guards the runner itself: case 01 with its expectation inverted must produce mismatches.
        var original = KubernetesE2eCases.All[0];
        var inverted = original with
        {
            Steps = [original.Steps[0] with { Expectations = [E2eModel.AtTcp(80, E2eModel.Allow("*", "*"))] }],
        };

        var mismatches = E2eRunner.Mismatches(inverted, new EvaluatorChecker(PolicyOptions.Default));

        Assert.Equal(6, mismatches.Count);
    }
}
