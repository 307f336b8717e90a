using System.Net.Sockets;
using Mnp.Native.Netlink;
using Mnp.Native.Netns;
using static Tmds.Linux.LibC;

namespace Mnp.Native.Rtnetlink;

/// <summary>
/// A NETLINK_ROUTE socket bound for life to the namespace it was created in. Create it inside the namespace
/// (<see cref="OpenAsync"/> does that through the executor, only the <c>socket</c> call runs there), then use it from
/// any thread. Requests are synchronous, one at a time; every change asks for an ack and a refusal becomes a
/// <see cref="RtnetlinkException"/> naming the operation, link and namespace.
/// </summary>
public sealed partial class RtnlSocket : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[ReceiveBufferSize];
    private readonly Lock _gate = new();
    private uint _sequence;

    private RtnlSocket(Socket socket, string netns)
    {
        _socket = socket;
        Netns = netns;
    }

    /// <summary>The namespace this socket talks to, for messages.</summary>
    public string Netns { get; }

    /// <summary>Opens a socket in <paramref name="netns"/>: the fd is made on the executor thread inside it, wrapped outside.</summary>
    public static async Task<RtnlSocket> OpenAsync(NetnsExecutor executor, NetnsRef netns)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(netns);
        var handle = await executor.RunAsync(netns, CreateHandle).ConfigureAwait(false);
        return Wrap(handle, netns.Path);
    }

    /// <summary>Opens a socket in the calling thread's namespace (the host, for tools and tests).</summary>
    public static RtnlSocket OpenInCurrentNamespace(string netnsLabel) => Wrap(CreateHandle(), netnsLabel);

    public IReadOnlyList<LinkInfo> DumpLinks() =>
        Dump(new NetlinkRequestBuilder(NetlinkConstants.RtmGetLink, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump)
            .Struct(default(InterfaceInfoMessage)), "dump links", RtnetlinkParser.ParseLink);

    public IReadOnlyList<AddressInfo> DumpAddresses() =>
        Dump(new NetlinkRequestBuilder(NetlinkConstants.RtmGetAddr, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump)
            .Struct(default(InterfaceAddressMessage)), "dump addresses", RtnetlinkParser.ParseAddress);

    /// <summary>One link by name (a single RTM_GETLINK, not a dump).</summary>
    public LinkInfo GetLink(string name)
    {
        var request = new NetlinkRequestBuilder(NetlinkConstants.RtmGetLink, NetlinkMessageFlags.Request)
            .Struct(default(InterfaceInfoMessage))
            .String(NetlinkConstants.IflaIfname, name);
        var replies = Exchange(request, "get link", name, expectDump: false);
        var link = replies.FirstOrDefault(m => m.Type == NetlinkConstants.RtmNewLink);
        return link.Type == NetlinkConstants.RtmNewLink
            ? RtnetlinkParser.ParseLink(link)
            : throw new RtnetlinkException("get link", name, Netns, "no link in the reply");
    }

    /// <summary>One link by name, or null when there is none (ENODEV).</summary>
    public LinkInfo? TryGetLink(string name)
    {
        try
        {
            return GetLink(name);
        }
        catch (RtnetlinkException e) when (e.Errno == LinuxError.ENODEV)
        {
            return null;
        }
    }

    public void CreateVeth(string name, string peerName)
    {
        var request = NewLinkRequest(create: true)
            .Struct(default(InterfaceInfoMessage))
            .String(NetlinkConstants.IflaIfname, name)
            .BeginNested(NetlinkConstants.IflaLinkinfo)
            .String(NetlinkConstants.IflaInfoKind, "veth")
            .BeginNested(NetlinkConstants.IflaInfoData)
            .BeginNested(NetlinkConstants.VethInfoPeer)
            .Struct(default(InterfaceInfoMessage))
            .String(NetlinkConstants.IflaIfname, peerName)
            .EndNested()
            .EndNested()
            .EndNested();
        Exchange(request, "create veth", $"{name}/{peerName}", expectDump: false);
    }

    /// <summary>Creates a macvlan in bridge mode on the parent link <paramref name="parentIndex"/> of this namespace,
    /// with the 6-byte <paramref name="mac"/> when given (else the kernel picks a random one).</summary>
    public void CreateMacvlan(string name, int parentIndex, ReadOnlySpan<byte> mac = default)
    {
        var request = NewLinkRequest(create: true)
            .Struct(default(InterfaceInfoMessage))
            .String(NetlinkConstants.IflaIfname, name)
            .U32(NetlinkConstants.IflaLink, (uint)parentIndex);
        if (!mac.IsEmpty)
        {
            request.Attribute(NetlinkConstants.IflaAddress, mac);
        }

        request
            .BeginNested(NetlinkConstants.IflaLinkinfo)
            .String(NetlinkConstants.IflaInfoKind, "macvlan")
            .BeginNested(NetlinkConstants.IflaInfoData)
            .U32(NetlinkConstants.IflaMacvlanMode, NetlinkConstants.MacvlanModeBridge)
            .EndNested()
            .EndNested();
        Exchange(request, "create macvlan", name, expectDump: false);
    }

    /// <summary>Moves link <paramref name="index"/> into the namespace file <paramref name="target"/> (IFLA_NET_NS_FD).</summary>
    public void MoveToNamespace(int index, string linkName, NetnsRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var file = FileDescriptors.Open(target.Path, O_RDONLY, out var error);
        if (file.IsInvalid)
        {
            throw new RtnetlinkException($"move to {target}", linkName, Netns, error);
        }

        var request = NewLinkRequest(create: false)
            .Struct(new InterfaceInfoMessage { Index = index })
            .U32(NetlinkConstants.IflaNetNsFd, (uint)FileDescriptors.Number(file));
        Exchange(request, $"move to {target}", linkName, expectDump: false);
    }

    public void Rename(int index, string linkName, string newName)
    {
        var request = NewLinkRequest(create: false)
            .Struct(new InterfaceInfoMessage { Index = index })
            .String(NetlinkConstants.IflaIfname, newName);
        Exchange(request, $"rename to {newName}", linkName, expectDump: false);
    }

    public void SetUp(int index, string linkName)
    {
        var request = NewLinkRequest(create: false)
            .Struct(new InterfaceInfoMessage { Index = index, Flags = NetlinkConstants.IffUp, Change = NetlinkConstants.IffUp });
        Exchange(request, "set up", linkName, expectDump: false);
    }

    /// <summary>Adds an address with IFA_F_NODAD, so an IPv6 address is usable at once instead of tentative.</summary>
    public void AddAddress(int index, string linkName, IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        var request = new NetlinkRequestBuilder(
                NetlinkConstants.RtmNewAddr,
                NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl)
            .Struct(new InterfaceAddressMessage
            {
                Family = (byte)(address.AddressFamily == AddressFamily.InterNetwork ? 2 : 10),
                PrefixLength = (byte)prefixLength,
                Flags = (byte)NetlinkConstants.IfaFNodad,
                Index = index,
            })
            .Attribute(NetlinkConstants.IfaLocal, bytes)
            .Attribute(NetlinkConstants.IfaAddress, bytes)
            .U32(NetlinkConstants.IfaFlags, NetlinkConstants.IfaFNodad);
        Exchange(request, $"add address {address}/{prefixLength}", linkName, expectDump: false);
    }

    public void DeleteLink(int index, string linkName)
    {
        var request = new NetlinkRequestBuilder(NetlinkConstants.RtmDelLink, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack)
            .Struct(new InterfaceInfoMessage { Index = index });
        Exchange(request, "delete link", linkName, expectDump: false);
    }

    public void Dispose() => _socket.Dispose();

    private static NetlinkRequestBuilder NewLinkRequest(bool create) =>
        new(NetlinkConstants.RtmNewLink, create
            ? (NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Excl)
            : (NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack));

    /// <summary>The socket is owned by its handle from the moment it exists (on the executor thread when in a pod).</summary>
    private static SafeSocketHandle CreateHandle()
    {
        var handle = FileDescriptors.Socket(NetlinkConstants.AfNetlink, SOCK_RAW, NetlinkConstants.NetlinkRoute, out var error);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new IOException($"socket(AF_NETLINK, NETLINK_ROUTE): {LinuxErrors.Describe(error)}");
        }

        return handle;
    }

    private static RtnlSocket Wrap(SafeSocketHandle handle, string netns)
    {
        try
        {
            var socket = new Socket(handle) { ReceiveTimeout = 5000, SendTimeout = 5000 };
            return new RtnlSocket(socket, netns);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private List<T> Dump<T>(NetlinkRequestBuilder request, string operation, Func<NetlinkMessage, T> parse)
    {
        var replies = Exchange(request, operation, "*", expectDump: true);
        return [.. replies.Where(m => m.Type is not NetlinkConstants.NlmsgDone and not NetlinkConstants.NlmsgError).Select(parse)];
    }

    /// <summary>Sends one request and collects the replies with its sequence number until DONE (dumps) or the ack/error.</summary>
    private List<NetlinkMessage> Exchange(NetlinkRequestBuilder request, string operation, string link, bool expectDump)
    {
        lock (_gate)
        {
            var sequence = ++_sequence;
            try
            {
                _socket.Send(request.Build(sequence));
                var collected = new List<NetlinkMessage>();
                while (true)
                {
                    var received = _socket.Receive(_buffer);
                    foreach (var message in NetlinkParser.SplitMessages(_buffer.AsMemory(0, received)))
                    {
                        if (message.Sequence != sequence)
                        {
                            continue;
                        }

                        if (message.Type == NetlinkConstants.NlmsgError)
                        {
                            var error = NetlinkParser.ParseError(message);
                            if (error != 0)
                            {
                                throw new RtnetlinkException(operation, link, Netns, (LinuxError)error);
                            }

                            return collected;
                        }

                        if (message.Type == NetlinkConstants.NlmsgDone)
                        {
                            return collected;
                        }

                        // Copy: the receive buffer is reused for the next datagram.
                        collected.Add(message with { Payload = message.Payload.ToArray() });
                        if (!expectDump && !((NetlinkMessageFlags)message.Flags).HasFlag(NetlinkMessageFlags.Multi))
                        {
                            return collected;
                        }
                    }
                }
            }
            catch (SocketException e)
            {
                throw new RtnetlinkException(operation, link, Netns, e.Message);
            }
            catch (FormatException e)
            {
                throw new RtnetlinkException(operation, link, Netns, e.Message);
            }
        }
    }
}
