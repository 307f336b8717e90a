using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.FSharp.Core;
using System.Text.RegularExpressions;
using Mnp.Policy.Compiler;
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
public sealed partial class NftAgreementTests(ITestOutputHelper output)
{
    private const int SampleSize = 1000;

    private static readonly Lazy<AgreementCase[]> Sample = new(() => Gen.Sample(AgreementCases.Case, SampleSize, new Rnd(20261201, 3), 30));

    /// <summary>Address and tuple lookups look at the wrong end of the packet (saddr for daddr and back).</summary>
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

    /// <summary>A union of peers loses a member: every address set of two or more ranges drops its last one.</summary>
    public static PipelineMutation UnionLosesItsLastRange { get; } = new(
        "nft: address union loses its last range",
        NftTable: table => table with
        {
            Sets = [.. table.Sets.Select(s => s.KeyType is NftSetKeyType.Ipv4Address or NftSetKeyType.Ipv6Address && s.Elements.Length > 1 ? s with { Elements = s.Elements[..^1] } : s)],
        });

    private static readonly PipelineMutation[] Mutations = [SwapAddressEnds, IntervalEndsOneShort, UnionLosesItsLastRange];

    public static TheoryData<string> Bugs => [.. Mutations.Select(m => m.Name)];

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

    /// <summary>
    /// The sample exercises the merging: many pods hold a rule that several allowances share (comment naming two or
    /// more rules), and some an ingress (address, protocol, port) lookup (too few flows meet those to plant a bug
    /// there; <c>NftTupleSetTests</c> does, on a compiled cluster).
    /// </summary>
    [Fact]
    public void The_sample_has_rules_that_merge_several_allowances()
    {
        var merged = 0;
        var sourceTuples = 0;
        foreach (var testCase in Sample.Value)
        {
            var snapshot = testCase.Cluster.Snapshot;
            foreach (var pod in snapshot.Pods)
            {
                var rules = PolicyCompiler.CompilePod(snapshot, pod, PolicyOptions.Default);
                var table = rules is null ? null : NftRenderer.Render(rules, PolicyOptions.Default);
                var allRules = table?.Chains.SelectMany(c => c.Rules).ToList() ?? [];
                merged += allRules.Any(r => r.Comment is { } c && (c.Contains(", ", StringComparison.Ordinal) || MergedIndices().IsMatch(c))) ? 1 : 0;
                sourceTuples += allRules.Any(r => r.Matches.Any(m => m.Kind == NftMatchKind.SourceTupleInSet)) ? 1 : 0;
            }
        }

        output.WriteLine($"{merged} pods of {SampleSize} sampled clusters hold a merged rule, {sourceTuples} an ingress tuple lookup");
        Assert.True(merged >= SampleSize / 10, $"only {merged} pods hold a merged rule");
        Assert.True(sourceTuples >= SampleSize / 100, $"only {sourceTuples} pods hold an ingress tuple lookup");
    }

    [GeneratedRegex(@"\[[0-9]+[-,]")]
    private static partial Regex MergedIndices();

    [Theory]
    [MemberData(nameof(Bugs))]
    public void A_planted_nftables_bug_shows_disagreements_and_the_property_finds_a_counterexample(string bug)
    {
        var mutation = Mutations.Single(m => m.Name == bug);
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
            NftMatchKind.SourceTupleInSet => m with { Kind = NftMatchKind.DestinationTupleInSet },
            NftMatchKind.DestinationTupleInSet => m with { Kind = NftMatchKind.SourceTupleInSet },
            _ => m,
        })],
    };
}
