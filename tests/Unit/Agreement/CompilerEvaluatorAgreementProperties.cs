using FsCheck.Xunit;
using Mnp.Policy.Rules;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Agreement;

/// <summary>
/// The compiler + renderer (checked by walking the rendered tables) and the independent evaluator decide every
/// flow of a random cluster the same way: pod to pod in both families, and to and from external addresses.
/// </summary>
public sealed class CompilerEvaluatorAgreementProperties
{
    [Property(Arbitrary = [typeof(AgreementCaseArbitrary)], MaxTest = 20000)]
    public void Compiled_tables_and_the_evaluator_agree_on_every_flow(AgreementCase testCase)
    {
        var disagreements = AgreementCheck.Disagreements(testCase, PolicyOptions.Default);

        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements));
    }
}
