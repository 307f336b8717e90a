using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.FSharp.Core;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;
using Mnp.Tests.Unit.Agreement;
using Mnp.Tests.Unit.Support;
using Xunit.Abstractions;

namespace Mnp.Tests.Unit.Nftables;

/// <summary>
/// The nftables model agrees with the evaluator: compile, render the inet table, walk it with
/// <see cref="NftClassifier"/>, on random clusters (pod to pod in both families, external addresses, replies);
/// and with a bug planted in the nftables model the same property fails.
/// </summary>
public sealed class NftAgreementTests(ITestOutputHelper output)
{
    private const int SampleSize = 1000;

    private static readonly Lazy<AgreementCase[]> Sample = new(() => Gen.Sample(AgreementCases.Case, SampleSize, new Rnd(20261201, 3), 30));

    /// <summary>Address matches look at the wrong end of the packet (saddr for daddr and back).</summary>
    public static PipelineMutation SwapAddressEnds { get; } = new(
        "nft: saddr and daddr swapped",
        NftTable: table => table with { Chains = [.. table.Chains.Select(c => c with { Rules = [.. c.Rules.Select(Swap)] })] });

    /// <summary>Interval ends off by one: every set range stops one key short (the exclusive end taken as inclusive).</summary>
    public static PipelineMutation IntervalEndsOneShort { get; } = new(
        "nft: interval ends one short",
        NftTable: table => table with
        {
            Sets = [.. table.Sets.Select(s => s with { Elements = [.. s.Elements.Where(e => e.Last > e.First).Select(e => e with { Last = e.Last - 1 })] })],
        });

    public static TheoryData<string> Bugs => [SwapAddressEnds.Name, IntervalEndsOneShort.Name];

    [Property(Arbitrary = [typeof(AgreementCaseArbitrary)], MaxTest = 5000)]
    public void The_nftables_model_and_the_evaluator_agree_on_every_flow(AgreementCase testCase)
    {
        var disagreements = AgreementCheck.Disagreements(testCase, PolicyOptions.Default, nftables: true);

        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements));
    }

    [Fact]
    public void The_correct_nftables_pipeline_agrees_on_the_whole_sample()
    {
        Assert.Equal(0, Sample.Value.Count(c => AgreementCheck.Disagreements(c, PolicyOptions.Default, nftables: true).Count > 0));
    }

    [Theory]
    [MemberData(nameof(Bugs))]
    public void A_planted_nftables_bug_shows_disagreements_and_the_property_finds_a_counterexample(string bug)
    {
        var mutation = bug == SwapAddressEnds.Name ? SwapAddressEnds : IntervalEndsOneShort;
        var count = Sample.Value.Count(c => AgreementCheck.Disagreements(c, PolicyOptions.Default, mutation, nftables: true).Count > 0);
        output.WriteLine($"{bug}: {count} of {SampleSize} sampled clusters disagree");
        Assert.InRange(count, 1, SampleSize);

        var property = Prop.ForAll(AgreementCases.Arbitrary(), c => AgreementCheck.Disagreements(c, PolicyOptions.Default, mutation, nftables: true).Count == 0);
        var config = Config.QuickThrowOnFailure.WithMaxTest(5000).WithMaxRejected(5000).WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(7, 11), null)));
        var failure = Record.Exception(() => Check.One(config, property));
        Assert.NotNull(failure);
        Assert.Contains("Falsifiable", failure.Message, StringComparison.Ordinal);
    }

    private static NftRule Swap(NftRule rule) => rule with
    {
        Matches = [.. rule.Matches.Select(m => m.Kind switch
        {
            NftMatchKind.SourceInSet => m with { Kind = NftMatchKind.DestinationInSet },
            NftMatchKind.DestinationInSet => m with { Kind = NftMatchKind.SourceInSet },
            _ => m,
        })],
    };
}
