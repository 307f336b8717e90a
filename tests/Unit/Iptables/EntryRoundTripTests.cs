using Mnp.Native.Iptables;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Iptables;

/// <summary>Encoder then decoder gives the same model rule, for every match kind and both families.</summary>
public sealed class EntryRoundTripTests
{
    public static TheoryData<IpFamily, NetfilterRule> Rules()
    {
        var data = new TheoryData<IpFamily, NetfilterRule>();
        foreach (var (family, net1, net2, icmpProtocol, icmpType) in new[]
                 {
                     (IpFamily.V4, "10.1.0.0/16", "192.168.7.1/32", NetfilterProtocol.Icmp, (byte)8),
                     (IpFamily.V6, "fd00:10::/64", "2001:db8::1/128", NetfilterProtocol.IcmpV6, (byte)135),
                 })
        {
            data.Add(family, new NetfilterRule(RuleTarget.Accept));
            data.Add(family, new NetfilterRule(RuleTarget.Drop) { Source = IPNetwork.Parse(net1) });
            data.Add(family, new NetfilterRule(RuleTarget.Return) { Destination = IPNetwork.Parse(net2) });
            data.Add(family, new NetfilterRule(RuleTarget.JumpTo("MNP-EGR-0123456789abcdef0123")) { InInterface = "net1", OutInterface = "veth+" });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { InInterface = "abcdefghijklmno" });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Udp, DestinationPorts = [(53, 53)] });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(8000, 8080)] });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(0, 65535)] });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Udp, DestinationPorts = [(80, 80), (443, 443), (9000, 9100)] });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Sctp, DestinationPorts = [(5000, 5000)] });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Sctp, DestinationPorts = [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12), (13, 13)] });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { CtState = ConntrackStates.Related | ConntrackStates.Established });
            data.Add(family, new NetfilterRule(RuleTarget.Drop) { CtState = ConntrackStates.Invalid });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { CtState = ConntrackStates.New });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { Protocol = icmpProtocol, Icmp = new IcmpTypeMatch(icmpType) });
            data.Add(family, new NetfilterRule(RuleTarget.Accept) { Protocol = icmpProtocol, Icmp = new IcmpTypeMatch(3, 1, 4) });
            data.Add(family, new NetfilterRule(RuleTarget.Return) { Comment = "policy ns/name: ingress rule 0" });
            data.Add(family, new NetfilterRule(RuleTarget.Return) { Comment = new string('x', 255) });
            data.Add(family, new NetfilterRule(RuleTarget.Return) { Comment = "ünïcode ✓" });
            data.Add(family, new NetfilterRule(RuleTarget.JumpTo("MNP-X"))
            {
                Source = IPNetwork.Parse(net1),
                Destination = IPNetwork.Parse(net2),
                InInterface = "net1",
                OutInterface = "eth0",
                Protocol = NetfilterProtocol.Tcp,
                CtState = ConntrackStates.New,
                DestinationPorts = [(5432, 5432), (6000, 6010)],
                Comment = "combined",
            });
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Decode_inverts_encode(IpFamily family, NetfilterRule rule)
    {
        var decoded = EntryDecoder.Decode(family, RuleEncoder.Encode(family, rule));

        Assert.Empty(decoded.UnknownMatches);
        Assert.Equal(rule, decoded.Rule);
    }

    [Fact]
    public void Unknown_match_is_named_and_makes_the_rule_foreign()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Comment = "c" });
        "mark\0\0\0\0"u8.CopyTo(entry.AsSpan(112 + 2));

        var decoded = EntryDecoder.Decode(IpFamily.V4, entry, "LOG");

        Assert.Null(decoded.Rule);
        Assert.Equal(["mark"], decoded.UnknownMatches.ToArray());
        Assert.Equal("-m mark -j LOG", decoded.Text);
    }

    [Fact]
    public void Inverted_source_is_shown_but_not_representable()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Drop) { Source = IPNetwork.Parse("10.9.9.9/32") });
        entry[83] = 0x08;

        var decoded = EntryDecoder.Decode(IpFamily.V4, entry);

        Assert.Null(decoded.Rule);
        Assert.StartsWith("-s 10.9.9.9/32", decoded.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IpFamily.V4, 8, 0, 255, "-p icmp -m icmp --icmp-type 8 -j ACCEPT")]
    [InlineData(IpFamily.V4, 3, 1, 1, "-p icmp -m icmp --icmp-type 3/1 -j ACCEPT")]
    [InlineData(IpFamily.V6, 1, 0, 4, "-p ipv6-icmp -m icmp6 --icmpv6-type 1/0:4 -j ACCEPT")]
    public void Icmp_summary_shows_the_code_only_when_restricted(IpFamily family, byte type, byte min, byte max, string expected)
    {
        var protocol = family == IpFamily.V4 ? NetfilterProtocol.Icmp : NetfilterProtocol.IcmpV6;
        var rule = new NetfilterRule(RuleTarget.Accept) { Protocol = protocol, Icmp = new IcmpTypeMatch(type, min, max) };

        Assert.Equal(expected, EntryDecoder.Decode(family, RuleEncoder.Encode(family, rule)).Text);
    }

    [Fact]
    public void Summary_reads_like_iptables_save()
    {
        var rule = new NetfilterRule(RuleTarget.Accept)
        {
            Source = IPNetwork.Parse("192.168.0.0/24"),
            InInterface = "net1",
            Protocol = NetfilterProtocol.Tcp,
            CtState = ConntrackStates.New,
            DestinationPorts = [(5432, 5432)],
            Comment = "combined",
        };

        Assert.Equal(
            "-s 192.168.0.0/24 -i net1 -p tcp -m conntrack --ctstate NEW -m tcp --dport 5432 -m comment --comment combined -j ACCEPT",
            EntryDecoder.Decode(IpFamily.V4, RuleEncoder.Encode(IpFamily.V4, rule)).Text);
    }
}
