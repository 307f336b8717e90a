using System.Buffers.Binary;
using Mnp.Native.Netlink;

namespace Mnp.Tests.Unit.Native.Rtnetlink;

public sealed class NetlinkRequestBuilderTests
{
    [Fact]
    public void Set_up_request_is_header_plus_ifinfomsg_with_iff_up_in_flags_and_change()
    {
        var bytes = new NetlinkRequestBuilder(16, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack)
            .Struct(new InterfaceInfoMessage { Index = 7, Flags = 1, Change = 1 })
            .Build(sequence: 1);

        Assert.Equal(
            "20000000" + "1000" + "0500" + "01000000" + "00000000" + "00" + "00" + "0000" + "07000000" + "01000000" + "01000000",
            Convert.ToHexString(bytes).ToLowerInvariant());
    }

    [Fact]
    public void Macvlan_request_nests_kind_and_bridge_mode_with_aligned_lengths()
    {
        var bytes = new NetlinkRequestBuilder(NetlinkConstants.RtmNewLink, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl)
            .Struct(default(InterfaceInfoMessage))
            .String(NetlinkConstants.IflaIfname, "net1")
            .U32(NetlinkConstants.IflaLink, 4)
            .BeginNested(NetlinkConstants.IflaLinkinfo)
            .String(NetlinkConstants.IflaInfoKind, "macvlan")
            .BeginNested(NetlinkConstants.IflaInfoData)
            .U32(NetlinkConstants.IflaMacvlanMode, 4)
            .EndNested()
            .EndNested()
            .Build(sequence: 42);

        Assert.Equal(0, bytes.Length % 4);
        var message = Assert.Single(NetlinkParser.SplitMessages(bytes));
        Assert.Equal((ushort)16, message.Type);
        Assert.Equal((ushort)0x605, message.Flags);
        Assert.Equal(42u, message.Sequence);

        var attributes = NetlinkParser.ParseAttributes(message.Payload[16..]);
        Assert.Equal("net1\0", System.Text.Encoding.ASCII.GetString(attributes[3].Span));
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(attributes[5].Span));
        var linkInfo = NetlinkParser.ParseAttributes(attributes[18]);
        Assert.Equal("macvlan\0", System.Text.Encoding.ASCII.GetString(linkInfo[1].Span));
        var data = NetlinkParser.ParseAttributes(linkInfo[2]);
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(data[1].Span));

        // The nested header carries NLA_F_NESTED and the exact nested length (4 + 12 kind + 12 data).
        var linkInfoOffset = 16 + 16 + 12 + 8;
        Assert.Equal(28, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(linkInfoOffset)));
        Assert.Equal(0x8012, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(linkInfoOffset + 2)));
    }

    [Fact]
    public void Unclosed_nested_attribute_is_refused()
    {
        var builder = new NetlinkRequestBuilder(16, NetlinkMessageFlags.Request).Struct(default(InterfaceInfoMessage)).BeginNested(18);
        Assert.Throws<InvalidOperationException>(() => builder.Build(1));
    }
}
