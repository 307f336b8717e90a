using Mnp.Native.Iptables;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Iptables;

public sealed class RuleValidatorTests
{
    public static TheoryData<IpFamily, NetfilterRule, RuleViolation> BadRules() => new()
    {
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { InInterface = "abcdefghijklmnop" }, RuleViolation.InterfaceName },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { OutInterface = "" }, RuleViolation.InterfaceName },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Comment = new string('é', 128) }, RuleViolation.CommentTooLong },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Comment = "a\0b" }, RuleViolation.CommentHasNul },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [.. Enumerable.Range(1, 8).Select(p => (p * 10, (p * 10) + 1))] }, RuleViolation.TooManyMultiportSlots },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { DestinationPorts = [(80, 80)] }, RuleViolation.PortsWithoutProtocol },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Icmp, DestinationPorts = [(80, 80)] }, RuleViolation.PortsWithoutProtocol },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(90, 80)] }, RuleViolation.PortOutOfRange },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(1, 70000)] }, RuleViolation.PortOutOfRange },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp, Icmp = new IcmpTypeMatch(8) }, RuleViolation.IcmpProtocolMismatch },
        { IpFamily.V6, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Icmp }, RuleViolation.ProtocolFamilyMismatch },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.IcmpV6 }, RuleViolation.ProtocolFamilyMismatch },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Source = IPNetwork.Parse("fd00::/8") }, RuleViolation.AddressFamilyMismatch },
        { IpFamily.V6, new NetfilterRule(RuleTarget.Accept) { Destination = IPNetwork.Parse("10.0.0.0/8") }, RuleViolation.AddressFamilyMismatch },
        { IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { CtState = (ConntrackStates)64 }, RuleViolation.UnknownConntrackState },
        { IpFamily.V4, new NetfilterRule(RuleTarget.JumpTo("MNP-" + new string('a', 25))), RuleViolation.ChainNameTooLong },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public void Bad_rule_is_rejected_with_its_violation(IpFamily family, NetfilterRule rule, RuleViolation violation)
    {
        var e = Assert.Throws<RuleValidationException>(() => RuleEncoder.Encode(family, rule, "filter", "MNP-C"));

        Assert.Contains(e.Problems, p => p.Violation == violation);
        Assert.Contains("filter/MNP-C rule 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fifteen_slots_are_allowed()
    {
        var rule = new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [.. Enumerable.Range(1, 7).Select(p => (p * 10, (p * 10) + 1)), (99, 99)] };

        Assert.Equal(15, rule.MultiportSlots);
        Assert.Empty(RuleValidator.ValidateRule(IpFamily.V4, "filter", "MNP-C", 0, rule));
    }

    [Fact]
    public void Table_rules_name_chain_and_index()
    {
        var table = new NetfilterTable(IpFamily.V4, "filter",
        [
            new NetfilterChain("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-IN")), new NetfilterRule(RuleTarget.Accept)]),
            new NetfilterChain("MNP-IN", [new NetfilterRule(RuleTarget.JumpTo("MNP-MISSING"))]),
            new NetfilterChain("KUBE-FOO", []),
            new NetfilterChain("MNP-IN", []),
            new NetfilterChain("MNP-" + new string('x', 25), []),
        ]);

        var problems = RuleValidator.Validate(table);

        Assert.Equal(
            [RuleViolation.ForeignRuleInBuiltinChain, RuleViolation.UnknownJumpTarget, RuleViolation.ChainNotOwned, RuleViolation.DuplicateChain, RuleViolation.ChainNameTooLong],
            problems.Select(p => p.Violation));
        Assert.Equal("V4 filter/INPUT rule 1: target: a built-in chain may only hold jumps to MNP- chains", problems[0].ToString());
    }

    [Fact]
    public void Unknown_table_is_rejected()
    {
        Assert.Contains(RuleValidator.Validate(new NetfilterTable(IpFamily.V4, "nosuch", [])), p => p.Violation == RuleViolation.UnsupportedTable);
    }
}
