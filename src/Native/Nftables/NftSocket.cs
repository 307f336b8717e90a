using System.Buffers.Binary;
using System.Net.Sockets;
using Mnp.Native.Netlink;
using Mnp.Native.Netns;
using Mnp.Policy.Nftables;
using static Mnp.Native.Nftables.NftNetlink;
using static Tmds.Linux.LibC;

namespace Mnp.Native.Nftables;

/// <summary>
/// A NETLINK_NETFILTER socket bound for life to the namespace it was created in (only the <c>socket</c> call runs
/// there, through the executor; the socket is then used from any thread). One request or batch at a time.
/// Every request it builds names our table: it cannot address another table.
/// </summary>
public sealed class NftSocket : IDisposable
{
    private const int ReceiveBufferSize = 1 << 20;
    private const int KernelBufferBytes = 4 << 20;
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[ReceiveBufferSize];
    private readonly Lock _gate = new();
    private uint _sequence = 1; // requests count up from 1; batches use BatchSequenceBase and up, so replies never collide
    private int _sendBuffer;

    private NftSocket(Socket socket, string netns)
    {
        _socket = socket;
        Netns = netns;
    }

    public string Netns { get; }

    /// <summary>The first sequence number of a batch's messages, far above the request numbers.</summary>
    internal const uint BatchSequenceBase = 0x8000_0000;

    public static async Task<NftSocket> OpenAsync(NetnsExecutor executor, NetnsRef netns)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(netns);
        var handle = await executor.RunAsync(netns, CreateHandle).ConfigureAwait(false);
        return Wrap(handle, netns.Path);
    }

    /// <summary>A socket in the calling thread's namespace (tools and tests).</summary>
    public static NftSocket OpenInCurrentNamespace(string netnsLabel) => Wrap(CreateHandle(), netnsLabel);

    /// <summary>The namespace's nf_tables generation (GETGEN, about 10 µs): it moves with every commit to any table.</summary>
    public uint GetGeneration()
    {
        lock (_gate)
        {
            return Generation(SendGetGeneration(), null, "get generation");
        }
    }

    /// <summary>Reads our table consistently: the generation before and after the dumps must agree, else the read is repeated.</summary>
    public NftTableDump ReadTable(string name = NftTable.OwnedName)
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = GetGeneration();
            var dump = NftTableDumpReader.Read(this, name, before);
            if (GetGeneration() == before || attempt == 5)
            {
                return dump;
            }
        }
    }

    /// <summary>Sends the batch in one <c>sendmsg</c> and returns the generation after it; a refusal throws with the culprit named.</summary>
    internal uint Commit(EncodedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            EnsureSendBuffer(batch.Bytes.Length);
            try
            {
                _socket.Send(batch.Bytes);
            }
            catch (SocketException e)
            {
                throw new NftablesException("commit", "batch", Netns, (int)e.SocketErrorCode == 0 ? 0 : e.NativeErrorCode, e.Message);
            }

            // The kernel handled the batch inside sendmsg; the GETGEN reply comes after every error it queued.
            return Generation(SendGetGeneration(), batch, "commit");
        }
    }

    public void Dispose() => _socket.Dispose();

    private uint SendGetGeneration()
    {
        var sequence = ++_sequence;
        var writer = new NfMessageWriter(32).Begin(GetGen, FlagRequest, sequence, FamilyUnspec).End();
        _socket.Send(writer.ToArray());
        return sequence;
    }

    /// <summary>Reads until the NEWGEN answering <paramref name="sequence"/>; errors for the batch's messages before it are thrown, the first one named.</summary>
    private uint Generation(uint sequence, EncodedBatch? batch, string operation)
    {
        NftablesException? failure = null;
        while (true)
        {
            foreach (var message in Receive(operation))
            {
                if (message.Type == MessageError)
                {
                    var errno = NetlinkParser.ParseError(message);
                    if (errno != 0 && batch is not null && failure is null)
                    {
                        failure = new NftablesException(operation, batch.Describe(message.Sequence), Netns, errno);
                    }
                    else if (errno != 0 && message.Sequence == sequence)
                    {
                        throw new NftablesException(operation, "generation", Netns, errno);
                    }

                    continue;
                }

                if (message.Type == NewGen && message.Sequence == sequence)
                {
                    if (failure is not null)
                    {
                        throw failure;
                    }

                    return NfAttributes.U32(NfAttributes.OfMessage(message.Payload), GenId)
                        ?? throw new NftablesException(operation, "generation", Netns, 0, "NEWGEN without an id");
                }
            }
        }
    }

    /// <summary>One request (a dump, or a get with an ack) and its replies up to DONE or the ack.</summary>
    internal List<NetlinkMessage> Request(ushort type, ushort flags, byte family, Action<NfMessageWriter>? attributes, string operation)
    {
        lock (_gate)
        {
            var sequence = ++_sequence;
            var writer = new NfMessageWriter(128).Begin(type, (ushort)(FlagRequest | flags), sequence, family);
            attributes?.Invoke(writer);
            _socket.Send(writer.End().ToArray());
            var replies = new List<NetlinkMessage>();
            while (true)
            {
                foreach (var message in Receive(operation))
                {
                    if (message.Sequence != sequence)
                    {
                        continue;
                    }

                    if (message.Type == MessageError)
                    {
                        var errno = NetlinkParser.ParseError(message);
                        return errno == 0 ? replies : throw new NftablesException(operation, "request", Netns, errno);
                    }

                    if (message.Type == MessageDone)
                    {
                        return replies;
                    }

                    replies.Add(message with { Payload = message.Payload.ToArray() });
                }
            }
        }
    }

    private IReadOnlyList<NetlinkMessage> Receive(string operation)
    {
        try
        {
            var received = _socket.Receive(_buffer);
            return NetlinkParser.SplitMessages(_buffer.AsMemory(0, received));
        }
        catch (SocketException e)
        {
            throw new NftablesException(operation, "receive", Netns, e.NativeErrorCode, e.Message);
        }
    }

    /// <summary>A batch must fit SO_SNDBUF in one sendmsg (else EMSGSIZE): grow it with SO_SNDBUFFORCE (CAP_NET_ADMIN).</summary>
    private void EnsureSendBuffer(int bytes)
    {
        var needed = Math.Max(KernelBufferBytes, bytes + 65536);
        if (_sendBuffer >= needed)
        {
            return;
        }

        SetOption(SolSocket, SoSndBufForce, needed);
        _sendBuffer = needed;
    }

    private void SetOption(int level, int name, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        _socket.SetRawSocketOption(level, name, bytes);
    }

    /// <summary>The socket is owned by its handle from the moment it exists (on the executor thread when in a pod).</summary>
    private static SafeSocketHandle CreateHandle()
    {
        var handle = FileDescriptors.Socket(NetlinkConstants.AfNetlink, SOCK_RAW, NetlinkNetfilter, out var error);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new IOException($"socket(AF_NETLINK, NETLINK_NETFILTER): {LinuxErrors.Describe(error)}");
        }

        return handle;
    }

    private static NftSocket Wrap(SafeSocketHandle handle, string netns)
    {
        Socket socket;
        try
        {
            socket = new Socket(handle) { ReceiveTimeout = 5000, SendTimeout = 5000 };
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        var wrapped = new NftSocket(socket, netns);
        try
        {
            wrapped.SetOption(SolNetlink, NetlinkCapAck, 1);
            wrapped.SetOption(SolNetlink, NetlinkExtAck, 1);
            wrapped.SetOption(SolSocket, SoRcvBufForce, KernelBufferBytes);
            return wrapped;
        }
        catch
        {
            wrapped.Dispose();
            throw;
        }
    }
}
