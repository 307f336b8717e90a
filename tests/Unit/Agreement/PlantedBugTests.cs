using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Mnp.Policy.Rules;
using Mnp.Tests.Unit.Support;
using Xunit.Abstractions;

namespace Mnp.Tests.Unit.Agreement;

/// <summary>
/// The agreement property has teeth: with a bug planted in the compile -> render pipeline (test code only), the
/// same property fails, and on a fixed-seed sample the correct pipeline agrees everywhere while each planted bug
/// shows disagreements.
/// </summary>
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    private const int SampleSize = 1500;

    /// <summary>One fixed sample for every test, so that counts are reproducible.</summary>
    private static readonly Lazy<AgreementCase[]> Sample = new(() => Gen.Sample(AgreementCases.Case, SampleSize, new Rnd(20261127, 7), 30));

    public static TheoryData<string> Bugs => [.. PlantedBugs.All.Keys];

    private static int DisagreeingCases(PipelineMutation? mutation) =>
        Sample.Value.Count(c => AgreementCheck.Disagreements(c, PolicyOptions.Default, mutation).Count > 0);

    [Fact]
    public void The_correct_pipeline_agrees_on_the_whole_sample()
    {
        Assert.Equal(SampleSize, Sample.Value.Length);
        Assert.Equal(0, DisagreeingCases(null));
    }

    [Theory]
    [MemberData(nameof(Bugs))]
    public void A_planted_bug_shows_disagreements_on_the_sample(string bug)
    {
        var count = DisagreeingCases(PlantedBugs.All[bug]);
        output.WriteLine($"{bug}: {count} of {SampleSize} sampled clusters disagree");

        Assert.InRange(count, 1, SampleSize);
    }

    [Theory]
    [MemberData(nameof(Bugs))]
    public void The_property_finds_a_counterexample_for_a_planted_bug(string bug)
    {
        var mutation = PlantedBugs.All[bug];
        var property = Prop.ForAll(AgreementCases.Arbitrary(), c => AgreementCheck.Disagreements(c, PolicyOptions.Default, mutation).Count == 0);
        var config = Config.QuickThrowOnFailure.WithMaxTest(5000).WithMaxRejected(5000).WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(7, 11), null)));

        var failure = Record.Exception(() => Check.One(config, property));

        Assert.NotNull(failure);
        Assert.Contains("Falsifiable", failure.Message, StringComparison.Ordinal);
    }
}
