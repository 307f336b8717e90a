using System.Buffers.Binary;
using Mnp.Native.Nftables;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Nftables;

namespace Mnp.Tests.Unit.Nftables;

/// <summary>
/// The encoder and decoder on captured bytes: the NEWRULE messages nft 1.0.6 sent (<c>nft --debug=mnl -f</c>) for
/// the text our model prints, byte for byte, and our decoder's reading of them.
/// </summary>
public sealed class NftBatchEncoderTests
{
    /// <summary>nft's NEWRULE messages for <see cref="Golden"/>'s text, in order (header flags and sequence aside).</summary>
    private static readonly string[] NftRules =
    [
        "ec000000060a01000a0000000000000001000000080001006d6e70000a000200696e707574000000c40004802000018007000100637400001400028008000200000000000800010000000001440001800c0001006269747769736500340002800800010000000001080002000000000108000300000000040c00048008000100060000000c00058008000100000000002c00018008000100636d700020000280080001000000000108000200000000010c0003800800010000000000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000001",
        "cc000000060a01000b0000000000000001000000080001006d6e70000a000200696e707574000000a400048024000180090001006d6574610000000014000280080002000000000608000100000000013800018008000100636d70002c0002800800010000000001080002000000000018000380140001006e657431000000000000000000000000440001800e000100696d6d656469617465000000300002800800010000000000240002802000028008000100fffffffd11000200696e67726573732d6e65743100000000",
        "90010000060a01000c0000000000000001000000080001006d6e700011000200696e67726573732d6e657431000000006001048024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100636d700020000280080001000000000108000200000000000c000380050001000a00000024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c000380050001003a000000340001800c0001007061796c6f6164002400028008000100000000010800020000000002080003000000000008000400000000012c00018008000100636d700020000280080001000000000108000200000000050c00038005000100850000002c00018008000100636d700020000280080001000000000108000200000000030c0003800500010089000000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000001",
        "14010000060a01000d0000000000000001000000080001006d6e700011000200696e67726573732d6e65743100000000e400048024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010002000000340001800c0001007061796c6f6164002400028008000100000000010800020000000001080003000000000908000400000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010001000000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000001",
        "b4000000060a01000e0000000000000001000000080001006d6e700011000200696e67726573732d6e657431000000008400048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c000380050001003a000000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000001",
        "dc010000060a01000f0000000000000001000000080001006d6e700011000200696e67726573732d6e657431000000009401048024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010002000000340001800c0001007061796c6f6164002400028008000100000000010800020000000001080003000000000c08000400000000042c0001800b0001006c6f6f6b757000001c00028008000200000000010700010073340000080004000000000124000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010006000000340001800c0001007061796c6f6164002400028008000100000000010800020000000002080003000000000208000400000000022c0001800b0001006c6f6f6b757000001c000280080002000000000106000100700000000800040000000003300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c000280080001000000000115000700000f782f7020696e67726573735b305d00000000",
        "c4010000060a0100100000000000000001000000080001006d6e700011000200696e67726573732d6e657431000000009401048024000180090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100636d700020000280080001000000000108000200000000000c000380050001000a000000340001800c0001007061796c6f6164002400028008000100000000010800020000000001080003000000001808000400000000102c0001800b0001006c6f6f6b757000001c00028008000200000000010700010073360000080004000000000224000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010011000000340001800c0001007061796c6f6164002400028008000100000000010800020000000002080003000000000208000400000000022c00018008000100636d700020000280080001000000000108000200000000000c0003800600010000350000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000001",
        "40010000060a0100110000000000000001000000080001006d6e700011000200696e67726573732d6e657431000000001001048024000180090001006d6574610000000014000280080002000000001008000100000000012c00018008000100636d700020000280080001000000000108000200000000000c0003800500010084000000340001800c0001007061796c6f6164002400028008000100000000010800020000000002080003000000000208000400000000022c00018008000100636d700020000280080001000000000108000200000000050c000380060001001f4000002c00018008000100636d700020000280080001000000000108000200000000030c000380060001001f4a0000300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c0002800800010000000001",
        "84000000060a0100120000000000000001000000080001006d6e700011000200696e67726573732d6e6574310000000034000480300001800e000100696d6d6564696174650000001c0002800800010000000000100002800c000280080001000000000020000700001a6d6e703a20696e67726573732064656661756c742064656e7900",
    ];

    [Fact]
    public void Rules_encode_to_the_bytes_nft_sends_for_the_same_text()
    {
        var batch = NftBatchEncoder.Replace(Golden(), 7, 100);
        var ours = Messages(batch.Bytes).Where(m => m.Type == 0x0a06).ToList();

        Assert.Equal(NftRules.Length, ours.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            var expected = Convert.FromHexString(NftRules[i]);
            Assert.Equal(Convert.ToHexString(expected.AsSpan(16)), Convert.ToHexString(ours[i].Bytes.AsSpan(16)));
            Assert.Equal(expected.Length, ours[i].Bytes.Length);
        }
    }

    [Fact]
    public void Captured_nft_rules_decode_to_the_model()
    {
        var expected = Golden().Chains.SelectMany(c => c.Rules).ToList();
        for (var i = 0; i < NftRules.Length; i++)
        {
            var (_, rule, problem) = NftDumpDecoder.Rule(Convert.FromHexString(NftRules[i]).AsMemory(16));
            Assert.Null(problem);
            Assert.Equal(expected[i], rule);
        }
    }

    [Fact]
    public void A_batch_is_begin_table_delete_table_then_everything_then_end_all_naming_our_table()
    {
        var batch = NftBatchEncoder.Replace(Golden(), 0x01020304, 100);
        var messages = Messages(batch.Bytes);

        Assert.Equal(16, messages[0].Type);
        Assert.Equal([0, 0, 0, 10], messages[0].Bytes[16..20]); // family 0, res_id NFNL_SUBSYS_NFTABLES
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32BigEndian(messages[0].Bytes.AsSpan(24))); // NFNL_BATCH_GENID
        Assert.Equal([0x0a00, 0x0a02, 0x0a00], messages.Skip(1).Take(3).Select(m => (int)m.Type));
        Assert.Equal(17, messages[^1].Type);
        Assert.All(messages.Skip(1).SkipLast(1), m => Assert.Equal(1, m.Bytes[16])); // family inet
        Assert.All(messages.Skip(1).SkipLast(1), m => Assert.Equal("6d6e7000", Convert.ToHexString(m.Bytes.AsSpan(24, 4)).ToLowerInvariant()));
        Assert.Equal(batch.MessageCount, messages.Count);
        Assert.Equal("set s4", batch.Describe(104));
        Assert.StartsWith("chain ingress-net1 rule 3 (x/p ingress[0])", batch.Describe((uint)(100 + messages.FindIndex(m => m.Type == 0x0a06) + 5)), StringComparison.Ordinal);
        Assert.Equal("batch", batch.Describe(100));
    }

    [Fact]
    public void Removal_alone_is_begin_new_table_delete_table_end()
    {
        var messages = Messages(NftBatchEncoder.Replace(null, 1, 1).Bytes);

        Assert.Equal([16, 0x0a00, 0x0a02, 17], messages.Select(m => (int)m.Type));
    }

    [Fact]
    public void Big_element_lists_are_split_so_no_nest_reaches_the_u16_limit_and_decode_back_exactly()
    {
        var elements = Enumerable.Range(0, 20_000).Select(i => new NftInterval((UInt128)(i * 4), (UInt128)(i * 4 + 1))).ToImmutableArray();
        var set = new NftSet("big", NftSetKeyType.Ipv6Address, elements);
        var batch = NftBatchEncoder.Replace(new NftTable("mnp", "mnp/v1", [set], []), 1, 1);
        var parts = Messages(batch.Bytes).Where(m => m.Type == 0x0a0c).ToList();

        Assert.True(parts.Count > 10, $"{parts.Count} element messages");
        var decoded = new List<(UInt128, bool)>();
        foreach (var part in parts)
        {
            Assert.True(part.Bytes.Length < 65_535);
            NftDumpDecoder.Elements(part.Bytes.AsMemory(16), decoded);
        }

        Assert.Equal(elements.ToArray(), NftDumpDecoder.Intervals(decoded, UInt128.MaxValue).ToArray());
    }

    [Fact]
    public void A_nest_past_65535_bytes_throws_instead_of_wrapping()
    {
        var writer = new NfMessageWriter().Begin(1, 1, 1, 1).BeginNest(3);
        for (var i = 0; i < 70; i++)
        {
            writer.Bytes(1, new byte[1000]);
        }

        Assert.Throws<InvalidOperationException>(() => writer.EndNest());
    }

    [Fact]
    public void Interval_ends_are_exclusive_and_a_range_to_the_top_has_no_end()
    {
        var set = new NftSet("s", NftSetKeyType.Ipv4Address, [new NftInterval(10, 10), new NftInterval(0xC0000000, uint.MaxValue)]);
        var part = Messages(NftBatchEncoder.Replace(new NftTable("mnp", "mnp/v1", [set], []), 1, 1).Bytes).Single(m => m.Type == 0x0a0c);
        var decoded = new List<(UInt128 Key, bool End)>();
        NftDumpDecoder.Elements(part.Bytes.AsMemory(16), decoded);

        Assert.Equal([((UInt128)10, false), ((UInt128)11, true), ((UInt128)0xC0000000, false)], decoded);
        Assert.Equal(set.Elements.ToArray(), NftDumpDecoder.Intervals(decoded, uint.MaxValue).ToArray());
    }

    internal static NftTable Golden()
    {
        var v4 = new NftSet("s4", NftSetKeyType.Ipv4Address, [new NftInterval(0x0a090002, 0x0a090002)]);
        var v6 = new NftSet("s6", NftSetKeyType.Ipv6Address, [NftIntervals.Of(IPNetwork.Parse("fd00::/64"))]);
        var ports = new NftSet("p", NftSetKeyType.InetService, [new NftInterval(80, 80), new NftInterval(443, 443)]);
        NftChain input = new("input", NftHook.Input,
        [
            new NftRule([NftMatch.CtEstablishedRelated], NftVerdict.Accept),
            new NftRule([NftMatch.InInterface("net1")], NftVerdict.JumpTo("ingress-net1")),
        ]);
        NftChain ingress = new("ingress-net1", null,
        [
            new NftRule([NftMatch.Icmpv6TypeRange(133, 137)], NftVerdict.Accept),
            new NftRule([NftMatch.IpProtocol(1)], NftVerdict.Accept),
            new NftRule([NftMatch.L4Proto(58)], NftVerdict.Accept),
            new NftRule([NftMatch.SourceInSet(IpFamily.V4, "s4"), NftMatch.DestinationPortInSet(6, "p")], NftVerdict.Accept, "x/p ingress[0]"),
            new NftRule([NftMatch.DestinationInSet(IpFamily.V6, "s6"), NftMatch.DestinationPort(17, 53)], NftVerdict.Accept),
            new NftRule([NftMatch.DestinationPortRange(132, 8000, 8010)], NftVerdict.Accept),
            new NftRule([], NftVerdict.Drop, "mnp: ingress default deny"),
        ]);
        return new NftTable("mnp", "mnp/v1", [v4, v6, ports], [input, ingress]);
    }

    internal static List<(ushort Type, byte[] Bytes)> Messages(byte[] batch)
    {
        var result = new List<(ushort, byte[])>();
        for (var offset = 0; offset < batch.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(batch.AsSpan(offset));
            result.Add((BinaryPrimitives.ReadUInt16LittleEndian(batch.AsSpan(offset + 4)), batch[offset..(offset + length)]));
            offset += (length + 3) & ~3;
        }

        return result;
    }
}
