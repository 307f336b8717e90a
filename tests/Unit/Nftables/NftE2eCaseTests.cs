using Mnp.Policy.Rules;
using Mnp.Tests.Unit.E2e;

namespace Mnp.Tests.Unit.Nftables;

/// <summary>Every e2e case (kubernetes, mnp's extras, upstream's scenarios, IPv6) decided by the nftables model walked by the nft classifier.</summary>
public sealed class NftE2eCaseTests
{
    public static TheoryData<string> CaseNames => E2eCaseTests.CaseNames;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void The_nftables_model_agrees_with_the_truth_table(string name)
    {
        var testCase = E2eCaseTests.AllCases.Single(c => c.Name == name);

        var mismatches = E2eRunner.Mismatches(testCase, new CompiledRulesChecker(PolicyOptions.Default, nftables: true));

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }
}
