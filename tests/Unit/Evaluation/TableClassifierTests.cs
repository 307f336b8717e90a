using Mnp.Policy.Evaluation;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Evaluation;

public sealed class TableClassifierTests
{
    private static readonly IPAddress Pod = IPAddress.Parse("10.9.0.1");

    /// <summary>
    /// A hand-built table: INPUT -i net1 to MNP-INGRESS (replies, ICMP echo, policy chain, DROP); the policy chain
    /// accepts 10.9.0.2 on TCP/80 and sends 10.9.0.0/24 to an except chain that RETURNs 10.9.0.3 and accepts TCP 81,90-95.
    /// OUTPUT -o net1 to MNP-EGRESS, which only RETURNs.
    /// </summary>
    private static NetfilterTable Table() => new(IpFamily.V4, "filter",
    [
        new("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-INGRESS")) { InInterface = "net1" }]),
        new("OUTPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-EGRESS")) { OutInterface = "net1" }]),
        new("MNP-INGRESS",
        [
            new NetfilterRule(RuleTarget.Accept) { CtState = ConntrackStates.Established | ConntrackStates.Related, Comment = "replies" },
            new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Icmp, Icmp = new IcmpTypeMatch(8) },
            new NetfilterRule(RuleTarget.JumpTo("MNP-IN-P1")) { Comment = "x/p1" },
            new NetfilterRule(RuleTarget.Drop) { Comment = "isolated" },
        ]),
        new("MNP-IN-P1",
        [
            new NetfilterRule(RuleTarget.Accept) { Source = IPNetwork.Parse("10.9.0.2/32"), Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(80, 80)] },
            new NetfilterRule(RuleTarget.JumpTo("MNP-IN-P1-EXC")) { Source = IPNetwork.Parse("10.9.0.0/24") },
        ]),
        new("MNP-IN-P1-EXC",
        [
            new NetfilterRule(RuleTarget.Return) { Source = IPNetwork.Parse("10.9.0.3/32"), Comment = "except" },
            new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(81, 81), (90, 95)] },
        ]),
        new("MNP-EGRESS", [new NetfilterRule(RuleTarget.Return)]),
    ]);

    private static NetfilterPacket Inbound(string source, NetfilterProtocol protocol, int? port, ConntrackStates state = ConntrackStates.New, string device = "net1") =>
        new(IpFamily.V4, device, null, IPAddress.Parse(source), Pod, protocol, port, State: state);

    [Fact]
    public void A_matching_rule_in_a_jumped_chain_accepts_and_the_path_names_each_hop()
    {
        var result = TableClassifier.Classify(Table(), Inbound("10.9.0.2", NetfilterProtocol.Tcp, 80));

        Assert.True(result.Accepted);
        Assert.Equal(
            ["INPUT[0] -> MNP-INGRESS", "MNP-INGRESS[2] -> MNP-IN-P1 (x/p1)", "MNP-IN-P1[0] -> ACCEPT"],
            result.Path.Select(s => s.ToString()));
    }

    [Fact]
    public void Return_goes_back_to_the_caller_and_the_next_rule_there_decides()
    {
        var excepted = TableClassifier.Classify(Table(), Inbound("10.9.0.3", NetfilterProtocol.Tcp, 81));
        var inRange = TableClassifier.Classify(Table(), Inbound("10.9.0.4", NetfilterProtocol.Tcp, 93));

        Assert.False(excepted.Accepted);
        Assert.Equal("MNP-INGRESS[3] -> DROP (isolated)", excepted.Path[^1].ToString());
        Assert.Equal("MNP-IN-P1-EXC[0] -> RETURN (except)", excepted.Path[^2].ToString());
        Assert.True(inRange.Accepted);
        Assert.Equal(1, inRange.Path[^1].RuleIndex);
    }

    [Theory]
    [InlineData("10.9.0.4", NetfilterProtocol.Tcp, 96, false)]
    [InlineData("10.9.0.4", NetfilterProtocol.Tcp, 90, true)]
    [InlineData("10.9.0.4", NetfilterProtocol.Udp, 93, false)]
    [InlineData("10.9.0.2", NetfilterProtocol.Udp, 80, false)]
    [InlineData("10.9.1.2", NetfilterProtocol.Tcp, 81, false)]
    public void Protocol_ports_and_source_must_all_match(string source, NetfilterProtocol protocol, int port, bool accepted)
    {
        Assert.Equal(accepted, TableClassifier.Classify(Table(), Inbound(source, protocol, port)).Accepted);
    }

    [Fact]
    public void Replies_pass_by_conntrack_state_whatever_the_source()
    {
        var reply = TableClassifier.Classify(Table(), Inbound("192.0.2.7", NetfilterProtocol.Udp, 5353, ConntrackStates.Established));

        Assert.True(reply.Accepted);
        Assert.Equal("replies", reply.Path[^1].Comment);
    }

    [Fact]
    public void Icmp_type_and_code_range_are_matched()
    {
        var echo = Inbound("192.0.2.7", NetfilterProtocol.Icmp, null) with { IcmpType = 8, IcmpCode = 0 };

        Assert.True(TableClassifier.Classify(Table(), echo).Accepted);
        Assert.False(TableClassifier.Classify(Table(), echo with { IcmpType = 0 }).Accepted);
    }

    [Fact]
    public void Other_interfaces_and_the_output_path_fall_to_the_builtin_policy_accept()
    {
        var otherDevice = TableClassifier.Classify(Table(), Inbound("192.0.2.7", NetfilterProtocol.Tcp, 80, device: "net2"));
        var outbound = TableClassifier.Classify(Table(), new NetfilterPacket(IpFamily.V4, null, "net1", Pod, IPAddress.Parse("192.0.2.7"), NetfilterProtocol.Tcp, 80));

        Assert.True(otherDevice.Accepted);
        Assert.Equal("INPUT: end -> ACCEPT", Assert.Single(otherDevice.Path).ToString());
        Assert.True(outbound.Accepted);
        Assert.Equal(["OUTPUT[0] -> MNP-EGRESS", "MNP-EGRESS[0] -> RETURN", "OUTPUT: end -> ACCEPT"], outbound.Path.Select(s => s.ToString()));
    }

    [Fact]
    public void An_interface_name_ending_in_plus_matches_only_that_name_as_the_kernel_holds_it()
    {
        var rule = new NetfilterRule(RuleTarget.Drop) { InInterface = "net+" };

        Assert.True(TableClassifier.Matches(rule, Inbound("192.0.2.7", NetfilterProtocol.Tcp, 80, device: "net+")));
        Assert.False(TableClassifier.Matches(rule, Inbound("192.0.2.7", NetfilterProtocol.Tcp, 80, device: "net7")));
        Assert.False(TableClassifier.Matches(rule, Inbound("192.0.2.7", NetfilterProtocol.Tcp, 80, device: "eth0")));
    }

    [Fact]
    public void A_destination_match_and_a_multiport_sctp_rule_are_honoured()
    {
        var rule = new NetfilterRule(RuleTarget.Accept)
        {
            Destination = IPNetwork.Parse("10.9.0.0/30"),
            Protocol = NetfilterProtocol.Sctp,
            DestinationPorts = [(80, 80)],
        };

        Assert.True(rule.UsesMultiport);
        Assert.True(TableClassifier.Matches(rule, Inbound("192.0.2.7", NetfilterProtocol.Sctp, 80)));
        Assert.False(TableClassifier.Matches(rule, Inbound("192.0.2.7", NetfilterProtocol.Sctp, 80) with { Destination = IPAddress.Parse("10.9.0.4") }));
        Assert.False(TableClassifier.Matches(rule, Inbound("192.0.2.7", NetfilterProtocol.Tcp, 80)));
    }

    [Fact]
    public void Broken_tables_and_packets_are_refused_with_a_reason()
    {
        var missing = new NetfilterTable(IpFamily.V4, "filter", [new("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-GONE"))])]);
        var loop = new NetfilterTable(IpFamily.V4, "filter",
        [
            new("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-LOOP"))]),
            new("MNP-LOOP", [new NetfilterRule(RuleTarget.JumpTo("MNP-LOOP"))]),
        ]);
        var packet = Inbound("10.9.0.2", NetfilterProtocol.Tcp, 80);

        Assert.Contains("MNP-GONE", Assert.Throws<InvalidOperationException>(() => TableClassifier.Classify(missing, packet)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => TableClassifier.Classify(loop, packet));
        Assert.Throws<ArgumentException>(() => TableClassifier.Classify(Table(), packet with { OutInterface = "net1" }));
        Assert.Throws<ArgumentException>(() => TableClassifier.Classify(NetfilterTable.Empty(IpFamily.V6), packet));
        Assert.True(TableClassifier.Classify(NetfilterTable.Empty(IpFamily.V4), packet).Accepted);
    }
}
