using FsCheck;
using FsCheck.Xunit;
using Mnp.Agent.Operations;
using Mnp.Native.Backends;

namespace Mnp.Tests.Unit.Operations;

/// <summary>The drift diff: every kind of difference named once, at the right place; nothing when the views agree.</summary>
public sealed class RuleDiffTests
{
    private const string Chain = "IPv4 filter/MNP-IN-net1";

    private static RuleView View(params string[] rules) => new(
        FirewallBackendKind.Iptables, [Chain], [.. rules.Select((r, i) => new RuleLine(Chain, i, r, r.Contains("ACCEPT", StringComparison.Ordinal) ? "x/p ingress[0]" : null))], []);

    [Fact]
    public void Equal_views_have_no_difference()
    {
        Assert.Empty(RuleDiff.Compare(View("a -j ACCEPT", "-j DROP"), View("a -j ACCEPT", "-j DROP")));
    }

    [Fact]
    public void A_replaced_rule_is_one_change_naming_both_texts_and_the_policy_rule()
    {
        var difference = Assert.Single(RuleDiff.Compare(View("ct", "a -j ACCEPT", "-j DROP"), View("ct", "b -j ACCEPT", "-j DROP")));

        Assert.Equal(DifferenceKind.Changed, difference.Kind);
        Assert.Equal(1, difference.Index);
        Assert.Equal(("a -j ACCEPT", "b -j ACCEPT"), (difference.Expected, difference.Found));
        Assert.Equal($"iptables {Chain} rule 1 changed: expected \"a -j ACCEPT\" (x/p ingress[0]), found \"b -j ACCEPT\"", difference.ToString());
    }

    [Fact]
    public void A_deleted_rule_is_missing_at_its_expected_place_and_an_added_one_unexpected_at_its_live_place()
    {
        var deleted = Assert.Single(RuleDiff.Compare(View("ct", "a", "b", "-j DROP"), View("ct", "b", "-j DROP")));
        var added = Assert.Single(RuleDiff.Compare(View("ct", "-j DROP"), View("ct", "-j DROP", "x -j ACCEPT")));

        Assert.Equal((DifferenceKind.Missing, 1, "a"), (deleted.Kind, deleted.Index!.Value, deleted.Expected!));
        Assert.Equal((DifferenceKind.Unexpected, 2, "x -j ACCEPT"), (added.Kind, added.Index!.Value, added.Found!));
    }

    [Fact]
    public void Containers_are_compared_by_name_and_anomalies_always_count()
    {
        var expected = new RuleView(FirewallBackendKind.Nftables, ["inet mnp", "inet mnp/in"], [], []);
        var live = new RuleView(FirewallBackendKind.Nftables, ["inet mnp", "inet mnp/other"], [], ["table inet mnp: odd"]);

        var differences = RuleDiff.Compare(expected, live);

        Assert.Equal(
            [(DifferenceKind.MissingContainer, "inet mnp/in"), (DifferenceKind.UnexpectedContainer, "inet mnp/other"), (DifferenceKind.Anomaly, "table inet mnp")],
            differences.Select(d => (d.Kind, d.Location)));
        Assert.Equal("nftables anomaly: table inet mnp: odd", differences[2].ToString());
    }

    [Fact]
    public void A_chain_longer_than_the_edit_table_is_still_compared_and_only_the_drift_is_named()
    {
        var rules = Enumerable.Range(0, 5000).Select(i => $"-s 10.0.{i / 256}.{i % 256}/32 -j ACCEPT").ToArray();
        var tampered = rules.ToArray();
        tampered[2500] = "-j ACCEPT";

        var difference = Assert.Single(RuleDiff.Compare(View(rules), View(tampered)));

        Assert.Equal((DifferenceKind.Changed, 2500), (difference.Kind, difference.Index!.Value));
    }

    /// <summary>Any edit script of deletions and insertions: the diff names exactly as many rules as the shortest edit needs, never zero for different lists.</summary>
    [Property(MaxTest = 200)]
    public bool The_diff_is_empty_exactly_when_the_rule_lists_are_equal(byte[] expectedCodes, byte[] liveCodes)
    {
        var expected = expectedCodes.Select(c => $"r{c % 5}").ToArray();
        var live = liveCodes.Select(c => $"r{c % 5}").ToArray();
        var differences = RuleDiff.Compare(View(expected), View(live));
        var missing = differences.Count(d => d.Kind is DifferenceKind.Missing or DifferenceKind.Changed);
        var unexpected = differences.Count(d => d.Kind is DifferenceKind.Unexpected or DifferenceKind.Changed);
        return (differences.IsEmpty == expected.SequenceEqual(live))
            && expected.Length - missing == live.Length - unexpected;
    }
}
