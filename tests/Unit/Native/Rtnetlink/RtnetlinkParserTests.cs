using System.Net.Sockets;
using Mnp.Native.Netlink;
using Mnp.Native.Rtnetlink;

namespace Mnp.Tests.Unit.Native.Rtnetlink;

public sealed class RtnetlinkParserTests
{
    private static List<NetlinkMessage> Messages(string hex) =>
        [.. NetlinkParser.SplitMessages(Convert.FromHexString(hex))];

    [Fact]
    public void Link_dump_yields_lo_and_the_veth_pair_as_ip_link_shows_them()
    {
        var messages = Messages(RtnetlinkCaptures.LinkDump);
        Assert.Equal(3, messages[^1].Type); // NLMSG_DONE ends the dump
        var links = messages.Where(m => m.Type == 16).Select(RtnetlinkParser.ParseLink).ToList();

        Assert.Equal(["lo", "vb", "va"], links.Select(l => l.Name));
        Assert.Equal([1, 2, 3], links.Select(l => l.Index));
        Assert.Equal([65536, 1500, 1500], links.Select(l => l.Mtu));
        Assert.Equal([null, "veth", "veth"], links.Select(l => l.Kind));
        Assert.Equal([LinkOperState.Unknown, LinkOperState.Up, LinkOperState.Up], links.Select(l => l.OperState));
        Assert.Equal(["00:00:00:00:00:00", "1a:2e:ee:d4:9c:7f", "8e:86:71:10:42:4f"], links.Select(l => l.Mac));
        Assert.All(links, l => Assert.True(l.IsUp));
        Assert.Equal(3, links[1].ParentIndex);
        Assert.Equal(2, links[2].ParentIndex);
        Assert.All(messages, m => Assert.Equal(7u, m.Sequence));
    }

    [Fact]
    public void Address_dump_yields_every_address_with_prefix_scope_and_index()
    {
        var addresses = Messages(RtnetlinkCaptures.AddressDump).Where(m => m.Type == 20).Select(RtnetlinkParser.ParseAddress).ToList();

        Assert.Equal(
            [
                "10.9.0.5/24 if3 scope 0",
                "127.0.0.1/8 if1 scope 254",
                "::1/128 if1 scope 254",
                "fd00::5/64 if3 scope 0",
                "fe80::182e:eeff:fed4:9c7f/64 if2 scope 253",
                "fe80::8c86:71ff:fe10:424f/64 if3 scope 253",
            ],
            addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal("lo", addresses.Single(a => a.Address.Equals(IPAddress.Loopback)).Label);
        Assert.Null(addresses.Single(a => a.Address.Equals(IPAddress.IPv6Loopback)).Label);
        Assert.Equal(AddressFamily.InterNetworkV6, addresses.Single(a => a.Address.Equals(IPAddress.Parse("fd00::5"))).Family);
    }

    [Fact]
    public void Error_message_carries_the_negative_errno_and_zero_is_an_ack()
    {
        // nlmsghdr(36, NLMSG_ERROR, 0, seq 9, pid 0) + error -17 (EEXIST) + the echoed request header.
        var bytes = Convert.FromHexString("24000000020000000900000000000000" + "efffffff" + "10000000100005060900000000000000");
        var message = Assert.Single(NetlinkParser.SplitMessages(bytes));
        Assert.Equal(17, NetlinkParser.ParseError(message));

        var ack = Convert.FromHexString("24000000020000000900000000000000" + "00000000" + "10000000100005060900000000000000");
        Assert.Equal(0, NetlinkParser.ParseError(Assert.Single(NetlinkParser.SplitMessages(ack))));
    }

    [Fact]
    public void Truncated_messages_and_attributes_are_format_errors()
    {
        var dump = Convert.FromHexString(RtnetlinkCaptures.LinkDump);
        Assert.Throws<FormatException>(() => NetlinkParser.SplitMessages(dump.AsMemory(0, 40)));

        // An attribute claiming 200 bytes inside an 8-byte buffer.
        Assert.Throws<FormatException>(() => NetlinkParser.ParseAttributes(Convert.FromHexString("c800030061620000")));
    }

    [Fact]
    public void Attribute_types_drop_the_nested_flag()
    {
        // IFLA_LINKINFO (18) with NLA_F_NESTED, holding IFLA_INFO_KIND "veth".
        var attributes = NetlinkParser.ParseAttributes(Convert.FromHexString("10001280" + "090001007665746800000000"));
        Assert.True(attributes.ContainsKey(18));
        var kind = NetlinkParser.ParseAttributes(attributes[18]);
        Assert.Equal("veth", System.Text.Encoding.ASCII.GetString(kind[1].Span[..4]));
    }
}
