using Mnp.Native.Nftables;
using Mnp.Policy.Nftables;

namespace Mnp.Tests.Unit.Nftables;

/// <summary>
/// What the writer refuses before anything is sent (docs/native.md §19): each broken invariant of a model gives one
/// error naming the set or chain, and a correct model of the same shape passes.
/// </summary>
public sealed class NftModelValidationTests
{
    private static readonly NftConcatKey First = new(0x0a000001, 6, 80);
    private static readonly NftConcatKey Second = new(0x0a000002, 6, 80);
    private static readonly NftConcatKey OtherPort = new(0x0a000001, 6, 81);

    [Fact]
    public void A_concatenation_must_hold_distinct_tuples_in_nfts_listing_order()
    {
        var sorted = NftSet.SortTuples([OtherPort, Second, First], v6: false);
        Assert.Equal<NftConcatKey>([First, Second, OtherPort], sorted.AsEnumerable()); // port 80 before 81, then the address from its last byte
        NftablesWriter.ThrowIfInvalid(Table(Tuples(sorted)));

        foreach (var broken in new[] { Tuples([Second, First, OtherPort]), Tuples([First, First, Second]), Tuples([First]) with { Elements = [new NftInterval(1, 2)] } })
        {
            var error = Assert.Throws<ArgumentException>(() => NftablesWriter.ThrowIfInvalid(Table(broken)));
            Assert.StartsWith("set t: a concatenation holds distinct tuples in nft's order", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Interval_elements_must_be_disjoint_and_ordered_and_comments_fit_nfts_limit()
    {
        var overlapping = new NftSet("s", NftSetKeyType.Ipv4Address, [new NftInterval(1, 5), new NftInterval(5, 9)]);
        Assert.StartsWith("set s: element 1 overlaps", Assert.Throws<ArgumentException>(() => NftablesWriter.ThrowIfInvalid(Table(overlapping))).Message, StringComparison.Ordinal);

        var chain = new NftChain("c", null, [new NftRule([], NftVerdict.Accept, new string('x', NftRenderer.MaxCommentLength + 1))]);
        var table = new NftTable(NftTable.OwnedName, NftTable.OwnedMarker, [], [chain]);
        Assert.StartsWith("chain c: comment longer than 128", Assert.Throws<ArgumentException>(() => NftablesWriter.ThrowIfInvalid(table)).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A family dependency that is neither IPv4 nor IPv6 is not read as IPv6: a rule with it matches nothing in the
    /// kernel, so reading it as ours would hide the drift.
    /// </summary>
    [Fact]
    public void A_tuple_rule_with_a_foreign_nfproto_does_not_decode_as_ours()
    {
        var table = new NftTable(NftTable.OwnedName, NftTable.OwnedMarker,
            [new NftSet("t6", NftSetKeyType.Ipv6ProtoService, []) { Tuples = [new NftConcatKey(1, 6, 80)] }],
            [new NftChain("c", null, [new NftRule([NftMatch.SourceTupleInSet(Mnp.Policy.Netfilter.IpFamily.V6, "t6")], NftVerdict.Accept)])]);
        var rule = NftBatchEncoderTests.Messages(NftBatchEncoder.Replace(table, 1, 100).Bytes).Single(m => m.Type == 0x0a06).Bytes;
        Assert.Equal(table.Chains[0].Rules[0], NftDumpDecoder.Rule(rule.AsMemory(16)).Rule);

        // The nfproto compare's data: NFTA_DATA_VALUE, 1 byte, 10 (IPv6), padded; the rule's first one-byte value.
        var at = rule.AsSpan().IndexOf(new byte[] { 5, 0, 1, 0, 10, 0, 0, 0 });
        Assert.True(at > 16, "no nfproto compare found");
        rule[at + 4] = 3;
        var (_, tampered, problem) = NftDumpDecoder.Rule(rule.AsMemory(16));
        Assert.True(problem is not null || !Equals(tampered, table.Chains[0].Rules[0]), $"decoded as {tampered}");
    }

    private static NftSet Tuples(ImmutableArray<NftConcatKey> tuples) => new("t", NftSetKeyType.Ipv4ProtoService, []) { Tuples = tuples };

    private static NftTable Table(NftSet set) => new(NftTable.OwnedName, NftTable.OwnedMarker, [set], []);
}
