using System.Buffers.Binary;
using Mnp.Native.Iptables;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Iptables;

/// <summary>Golden bytes of docs/native.md §5 (read back from the kernel after the iptables CLI wrote the same rules).</summary>
public sealed class RuleEncoderGoldenTests
{
    private const int V4 = 112;

    [Fact]
    public void Tcp_port_range_payload_matches_the_kernel_bytes()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(8000, 8080)] });

        Assert.Equal(48, BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(V4)));
        Assert.Equal("tcp", Name(entry.AsSpan(V4)));
        Assert.Equal(Convert.FromHexString("0000ffff401f901f0000000000000000"), entry.AsSpan(V4 + 32, 16).ToArray());
        Assert.Equal(6, BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(80)));
        Assert.Equal(V4 + 48, BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(88)));
        Assert.Equal(V4 + 48 + 40, BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(90)));
        Assert.Equal(V4 + 48 + 40, entry.Length);
    }

    [Fact]
    public void Multiport_v1_payload_matches_the_kernel_bytes()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(80, 80), (443, 443), (9000, 9100)] });
        var match = entry.AsSpan(V4);

        Assert.Equal(80, BinaryPrimitives.ReadUInt16LittleEndian(match));
        Assert.Equal("multiport", Name(match));
        Assert.Equal(1, match[31]);
        Assert.Equal(Convert.FromHexString("010450 00bb012823 8c23".Replace(" ", "", StringComparison.Ordinal)), match.Slice(32, 10).ToArray());
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, match.Slice(32 + 32, 4).ToArray());
        Assert.Equal(0, match[32 + 47]);
    }

    [Fact]
    public void Conntrack_v3_related_established_matches_the_kernel_bytes()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { CtState = ConntrackStates.Related | ConntrackStates.Established });
        var match = entry.AsSpan(V4);

        Assert.Equal(200, BinaryPrimitives.ReadUInt16LittleEndian(match));
        Assert.Equal("conntrack", Name(match));
        Assert.Equal(3, match[31]);
        var info = match.Slice(32, 168);
        Assert.Equal(new byte[] { 1, 0 }, info.Slice(146, 2).ToArray());
        Assert.Equal(new byte[] { 6, 0 }, info.Slice(150, 2).ToArray());
        Assert.Equal(2, info.ToArray().Count(b => b != 0));
    }

    [Fact]
    public void Kernel_form_of_ACCEPT_target_decodes_to_accept()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Drop));
        var kernelAccept = Convert.FromHexString("2800" + new string('0', 60) + "feffffff00000000");
        kernelAccept.CopyTo(entry.AsSpan(V4));

        var decoded = EntryDecoder.Decode(IpFamily.V4, entry);

        Assert.Equal(new NetfilterRule(RuleTarget.Accept), decoded.Rule);
    }

    [Theory]
    [InlineData("DROP", -1)]
    [InlineData("RETURN", -5)]
    public void Kernel_form_of_other_verdicts_decodes(string expected, int verdict)
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Accept));
        entry.AsSpan(V4 + 2, 29).Clear();
        BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(V4 + 32), verdict);

        Assert.Equal(expected, EntryDecoder.Decode(IpFamily.V4, entry).TargetName);
    }

    [Fact]
    public void Target_carries_the_verdict_name_for_libiptc_to_map()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.JumpTo("MNP-ING-abc")));
        var target = entry.AsSpan(V4);

        Assert.Equal(40, BinaryPrimitives.ReadUInt16LittleEndian(target));
        Assert.Equal("MNP-ING-abc", Name(target));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(target[32..]));
    }

    [Fact]
    public void Addresses_are_network_order_with_prefix_masks()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Accept)
        {
            Source = IPNetwork.Parse("10.1.0.0/16"),
            Destination = IPNetwork.Parse("10.2.3.0/24"),
        });

        Assert.Equal(Convert.FromHexString("0a010000" + "0a020300" + "ffff0000" + "ffffff00"), entry.AsSpan(0, 16).ToArray());
    }

    [Fact]
    public void Interface_masks_always_cover_the_nul_so_a_trailing_plus_is_no_wildcard()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Drop) { InInterface = "eth0", OutInterface = "veth+" });

        Assert.Equal("eth0\0\0\0\0\0\0\0\0\0\0\0\0"u8.ToArray(), entry.AsSpan(16, 16).ToArray());
        Assert.Equal("veth+\0\0\0\0\0\0\0\0\0\0\0"u8.ToArray(), entry.AsSpan(32, 16).ToArray());
        Assert.Equal(Enumerable.Repeat((byte)0xFF, 5).Concat(Enumerable.Repeat((byte)0, 11)), entry.AsSpan(48, 16).ToArray());
        Assert.Equal(Enumerable.Repeat((byte)0xFF, 6).Concat(Enumerable.Repeat((byte)0, 10)), entry.AsSpan(64, 16).ToArray());
        Assert.Equal("veth+", EntryDecoder.Decode(IpFamily.V4, entry).Rule?.OutInterface);
    }

    [Fact]
    public void A_wildcard_mask_in_the_kernel_is_never_read_as_our_exact_rule()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Drop) { InInterface = "n+" });
        entry.AsSpan(48, 16).Clear();
        entry[48] = 0xFF; // what `iptables -i n+` writes: only the bytes before the +

        var decoded = EntryDecoder.Decode(IpFamily.V4, entry);

        Assert.Null(decoded.Rule);
        Assert.StartsWith("-i n+", decoded.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv6_protocol_sets_IP6T_F_PROTO()
    {
        var entry = RuleEncoder.Encode(IpFamily.V6, new NetfilterRule(RuleTarget.Drop)
        {
            Source = IPNetwork.Parse("fd00:10::/64"),
            Protocol = NetfilterProtocol.Tcp,
            DestinationPorts = [(22, 22)],
        });

        Assert.Equal(Convert.FromHexString("fd000010000000000000000000000000"), entry.AsSpan(0, 16).ToArray());
        Assert.Equal(Convert.FromHexString("ffffffffffffffff0000000000000000"), entry.AsSpan(32, 16).ToArray());
        Assert.Equal(6, BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(128)));
        Assert.Equal(1, entry[131]);
        Assert.Equal(168 + 48, BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(140)));
        Assert.Equal("tcp", Name(entry.AsSpan(168)));
    }

    [Fact]
    public void Sctp_ports_always_use_multiport()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Sctp, DestinationPorts = [(5000, 5000)] });

        Assert.Equal("multiport", Name(entry.AsSpan(V4)));
        Assert.Equal(132, BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(80)));
    }

    [Fact]
    public void Icmp_match_holds_type_and_code_range()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.Icmp, Icmp = new IcmpTypeMatch(8) });
        var match = entry.AsSpan(V4);

        Assert.Equal(40, BinaryPrimitives.ReadUInt16LittleEndian(match));
        Assert.Equal("icmp", Name(match));
        Assert.Equal(new byte[] { 8, 0, 255, 0 }, match.Slice(32, 4).ToArray());
        Assert.Equal("icmp6", Name(RuleEncoder.Encode(IpFamily.V6, new NetfilterRule(RuleTarget.Accept) { Protocol = NetfilterProtocol.IcmpV6, Icmp = new IcmpTypeMatch(135) }).AsSpan(168)));
    }

    [Fact]
    public void Matches_follow_the_model_order()
    {
        var entry = RuleEncoder.Encode(IpFamily.V4, new NetfilterRule(RuleTarget.JumpTo("MNP-X"))
        {
            Protocol = NetfilterProtocol.Tcp,
            CtState = ConntrackStates.New,
            DestinationPorts = [(5432, 5432), (6000, 6010)],
            Comment = "combined",
        });

        var names = new List<string>();
        var offset = V4;
        while (offset < BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(88)))
        {
            names.Add(Name(entry.AsSpan(offset)));
            offset += BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(offset));
        }

        Assert.Equal(["conntrack", "multiport", "comment"], names);
        Assert.Equal("combined\0"u8.ToArray(), entry.AsSpan(V4 + 200 + 80 + 32, 9).ToArray());
    }

    private static string Name(ReadOnlySpan<byte> match)
    {
        var name = match.Slice(2, 29);
        return System.Text.Encoding.ASCII.GetString(name[..name.IndexOf((byte)0)]);
    }
}
