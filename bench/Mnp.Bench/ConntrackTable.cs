using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using Mnp.Native;

namespace Mnp.Bench;

/// <summary>
/// The conntrack table of the calling thread's namespace (a job on the executor thread, in a namespace the bench
/// made): emptied before every window, so each window's connections start from the same table whatever the cases
/// before it left there (a reset flow stays 10 s in CLOSE).
/// </summary>
internal static class ConntrackTable
{
    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int NetlinkNetfilter = 12;
    private const ushort CtnetlinkDelete = (1 << 8) | 2; // NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE
    private const ushort RequestAck = 0x1 | 0x4; // NLM_F_REQUEST | NLM_F_ACK
    private const ushort NlmsgError = 2;

    /// <summary>Deletes every entry: IPCTNL_MSG_CT_DELETE without a tuple, family AF_UNSPEC, answered by an ack.</summary>
    public static void Flush()
    {
        using var handle = FileDescriptors.Socket(AfNetlink, SockRaw, NetlinkNetfilter, out var error);
        if (handle.IsInvalid)
        {
            throw new IOException($"socket(AF_NETLINK, NETLINK_NETFILTER): {error}");
        }

        using var socket = new Socket(handle);
        var request = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(request, (uint)request.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(4), CtnetlinkDelete);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(6), RequestAck);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(8), 1);
        socket.Send(request);
        var reply = new byte[256];
        var length = socket.Receive(reply);
        var code = length >= 20 && BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(4)) == NlmsgError ? BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(16)) : int.MinValue;
        if (code != 0)
        {
            throw new IOException($"conntrack flush: {(code == int.MinValue ? "no ack" : $"errno {-code}")}");
        }
    }

    /// <summary>The entries in the calling thread's namespace.</summary>
    public static int Count() => int.Parse(File.ReadAllText("/proc/sys/net/netfilter/nf_conntrack_count").Trim(), CultureInfo.InvariantCulture);
}
