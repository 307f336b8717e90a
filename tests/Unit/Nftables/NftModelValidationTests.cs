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

    private static NftSet Tuples(ImmutableArray<NftConcatKey> tuples) => new("t", NftSetKeyType.Ipv4ProtoService, []) { Tuples = tuples };

    private static NftTable Table(NftSet set) => new(NftTable.OwnedName, NftTable.OwnedMarker, [set], []);
}
