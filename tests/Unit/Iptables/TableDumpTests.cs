using Mnp.Native.Iptables;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Iptables;

/// <summary>The read-back comparison that decides whether a sync needs a commit at all.</summary>
public sealed class TableDumpTests
{
    private static readonly NetfilterTable Desired = new(IpFamily.V4, "filter",
    [
        new NetfilterChain("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-A"))]),
        new NetfilterChain("FORWARD", []),
        new NetfilterChain("MNP-A", [new NetfilterRule(RuleTarget.Accept) { Source = IPNetwork.Parse("0.0.0.0/0"), Protocol = NetfilterProtocol.Tcp }]),
        new NetfilterChain("MNP-B", []),
    ]);

    private static TableDump Dump(ImmutableArray<NetfilterChain> owned, params string[] anomalies) =>
        new(new NetfilterTable(IpFamily.V4, "filter", owned), [], [.. anomalies]);

    [Fact]
    public void Same_rules_in_another_chain_order_without_empty_builtins_and_with_any_for_slash_zero_match()
    {
        var dump = Dump(
        [
            new NetfilterChain("MNP-B", []),
            new NetfilterChain("MNP-A", [new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp }]),
            new NetfilterChain("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-A"))]),
        ]);

        Assert.True(dump.Matches(Desired));
    }

    [Fact]
    public void A_missing_empty_owned_chain_is_a_difference()
    {
        var dump = Dump(
        [
            new NetfilterChain("MNP-A", [new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp }]),
            new NetfilterChain("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-A"))]),
        ]);

        Assert.False(dump.Matches(Desired));
    }

    [Fact]
    public void A_changed_rule_or_order_is_a_difference()
    {
        var changed = Dump(
        [
            new NetfilterChain("MNP-B", []),
            new NetfilterChain("MNP-A", [new NetfilterRule(RuleTarget.Drop) { Protocol = NetfilterProtocol.Tcp }]),
            new NetfilterChain("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-A"))]),
        ]);

        Assert.False(changed.Matches(Desired));
    }

    [Fact]
    public void Anomalies_always_count_as_drift()
    {
        var dump = Dump(
        [
            new NetfilterChain("MNP-B", []),
            new NetfilterChain("MNP-A", [new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp }]),
            new NetfilterChain("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-A"))]),
        ], "INPUT rule 3: our jump follows a foreign rule");

        Assert.False(dump.Matches(Desired));
    }

    [Fact]
    public void Nothing_owned_matches_an_empty_model()
    {
        Assert.True(Dump([]).Matches(NetfilterTable.Empty(IpFamily.V4)));
    }
}
