using System.Buffers.Binary;
using System.Net.Sockets;
using Mnp.Native.Netlink;

namespace Mnp.Native.Rtnetlink;

/// <summary>
/// Static neighbour entries (what <c>ip neigh replace ADDR lladdr MAC nud permanent dev DEV</c> makes). Permanent
/// entries are not counted against the host-wide gc_thresh limits, so a lab of hundreds of pods on one network
/// never loses resolutions to table overflow.
/// </summary>
public sealed partial class RtnlSocket
{
    /// <summary>Creates or replaces the permanent entry <paramref name="address"/> -> <paramref name="mac"/> on link <paramref name="index"/>.</summary>
    public void SetPermanentNeighbour(int index, string linkName, IPAddress address, ReadOnlySpan<byte> mac)
    {
        ArgumentNullException.ThrowIfNull(address);
        var request = new NetlinkRequestBuilder(
                NetlinkConstants.RtmNewNeigh,
                NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Replace)
            .Struct(new NeighbourMessage { Family = FamilyOf(address), Index = index, State = NeighbourEntry.Permanent })
            .Attribute(NetlinkConstants.NdaDst, address.GetAddressBytes())
            .Attribute(NetlinkConstants.NdaLladdr, mac);
        Exchange(request, $"set neighbour {address}", linkName, expectDump: false);
    }

    /// <summary>Every IPv4 and IPv6 neighbour entry of this namespace.</summary>
    public IReadOnlyList<NeighbourEntry> DumpNeighbours() =>
        Dump(new NetlinkRequestBuilder(NetlinkConstants.RtmGetNeigh, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump)
            .Struct(default(NeighbourMessage)), "dump neighbours", ParseNeighbour)
            .Where(n => n is not null).Cast<NeighbourEntry>().ToList();

    /// <summary>Parses an <c>RTM_NEWNEIGH</c> message; null for one without an IP destination (bridge FDB entries).</summary>
    public static NeighbourEntry? ParseNeighbour(NetlinkMessage message)
    {
        if (message.Type != NetlinkConstants.RtmNewNeigh || message.Payload.Length < NetlinkConstants.NdMsgSize)
        {
            throw new FormatException($"netlink message type {message.Type} ({message.Payload.Length} bytes) is not a neighbour message");
        }

        var fixedPart = message.Payload.Span;
        var index = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[4..]);
        var state = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[8..]);
        var attributes = NetlinkParser.ParseAttributes(message.Payload[NetlinkConstants.NdMsgSize..]);
        if (!attributes.TryGetValue(NetlinkConstants.NdaDst, out var destination) || destination.Length is not (4 or 16))
        {
            return null;
        }

        var mac = attributes.TryGetValue(NetlinkConstants.NdaLladdr, out var lladdr) && lladdr.Length == 6
            ? string.Join(':', lladdr.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)))
            : null;
        return new NeighbourEntry(index, new IPAddress(destination.Span), mac, state);
    }

    private static byte FamilyOf(IPAddress address) => (byte)(address.AddressFamily == AddressFamily.InterNetwork ? 2 : 10);
}
