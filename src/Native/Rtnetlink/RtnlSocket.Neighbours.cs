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
    private const ushort RtmNewNeigh = 28;
    private const ushort RtmGetNeigh = 30;
    private const ushort NdaDst = 1;
    private const ushort NdaLladdr = 2;
    private const int NdMsgSize = 12;

    /// <summary>Creates or replaces the permanent entry <paramref name="address"/> -> <paramref name="mac"/> on link <paramref name="index"/>.</summary>
    public void SetPermanentNeighbour(int index, string linkName, IPAddress address, ReadOnlySpan<byte> mac)
    {
        ArgumentNullException.ThrowIfNull(address);
        var request = new NetlinkRequestBuilder(
                RtmNewNeigh,
                NetlinkConstants.NlmFRequest | NetlinkConstants.NlmFAck | NetlinkConstants.NlmFCreate | NetlinkConstants.NlmFReplace)
            .Struct(new NeighbourMessage { Family = FamilyOf(address), Index = index, State = NeighbourEntry.Permanent })
            .Attribute(NdaDst, address.GetAddressBytes())
            .Attribute(NdaLladdr, mac);
        Exchange(request, $"set neighbour {address}", linkName, expectDump: false);
    }

    /// <summary>Every IPv4 and IPv6 neighbour entry of this namespace.</summary>
    public IReadOnlyList<NeighbourEntry> DumpNeighbours() =>
        Dump(new NetlinkRequestBuilder(RtmGetNeigh, NetlinkConstants.NlmFRequest | NetlinkConstants.NlmFDump)
            .Struct(default(NeighbourMessage)), "dump neighbours", ParseNeighbour)
            .Where(n => n is not null).Cast<NeighbourEntry>().ToList();

    /// <summary>Parses an <c>RTM_NEWNEIGH</c> message; null for one without an IP destination (bridge FDB entries).</summary>
    public static NeighbourEntry? ParseNeighbour(NetlinkMessage message)
    {
        if (message.Type != RtmNewNeigh || message.Payload.Length < NdMsgSize)
        {
            throw new FormatException($"netlink message type {message.Type} ({message.Payload.Length} bytes) is not a neighbour message");
        }

        var fixedPart = message.Payload.Span;
        var index = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[4..]);
        var state = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[8..]);
        var attributes = NetlinkParser.ParseAttributes(message.Payload[NdMsgSize..]);
        if (!attributes.TryGetValue(NdaDst, out var destination) || destination.Length is not (4 or 16))
        {
            return null;
        }

        var mac = attributes.TryGetValue(NdaLladdr, out var lladdr) && lladdr.Length == 6
            ? string.Join(':', lladdr.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)))
            : null;
        return new NeighbourEntry(index, new IPAddress(destination.Span), mac, state);
    }

    private static byte FamilyOf(IPAddress address) => (byte)(address.AddressFamily == AddressFamily.InterNetwork ? 2 : 10);
}
