using System.Buffers.Binary;
using System.Net.Sockets;
using Mnp.Native.Nftables;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Privileged;

/// <summary>
/// Real ICMP over a veth pair: a pod whose ingress is isolated, with the custom-rules file accepting only
/// <c>destination-unreachable/fragmentation-needed</c>, receives a destination-unreachable of code 4 and no longer one
/// of code 1, on either backend. The receiver is a raw ICMP socket in the pod's namespace, which sees every ICMP
/// message the input hook let through (an unsolicited error matches no connection, so only the custom rule accepts it).
/// </summary>
public sealed class IcmpCodeTrafficTests : IDisposable
{
    private const byte DestinationUnreachable = 3;
    private const byte HostUnreachable = 1;
    private const byte FragmentationNeeded = 4;

    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    [PrivilegedTheory]
    [InlineData(FirewallBackendKind.Iptables)]
    [InlineData(FirewallBackendKind.Nftables)]
    public async Task Only_the_code_the_file_names_reaches_an_isolated_pod(FirewallBackendKind kind)
    {
        await using var client = await TestNetns.CreateAsync();
        await using var server = await TestNetns.CreateAsync();
        await TrafficTests.ConnectAsync(client, server);
        IFirewallBackend backend = kind == FirewallBackendKind.Iptables ? new IptablesBackend(_executor) : new NftablesBackend(_executor);
        var options = PolicyOptions.Default with
        {
            CustomRules = CustomRulesParser.Parse("ingress: {icmp: [destination-unreachable/fragmentation-needed]}", "rules.yaml").Rules!,
        };
        var isolated = new DirectionRules(true, ["x/deny-all"], []);
        var pod = new PodRules(null!, [new InterfaceRules("vs", new NetworkRef("x", "n"), [TrafficTests.ServerAddress], isolated, DirectionRules.Open)]);
        using var receiver = await _executor.RunAsync(server.Ref, () => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));
        using var sender = await _executor.RunAsync(client.Ref, () => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));
        var controlArrived = await ArrivesAsync(sender, receiver, HostUnreachable, 1);

        await backend.ApplyAsync(server.Ref, pod, options, CancellationToken.None);
        var named = await ArrivesAsync(sender, receiver, FragmentationNeeded, 2);
        var other = await ArrivesAsync(sender, receiver, HostUnreachable, 3);

        Assert.True(controlArrived, "control: a host-unreachable must arrive before any rule");
        Assert.True(named, $"{kind}: destination-unreachable/fragmentation-needed is accepted by the custom rule");
        Assert.False(other, $"{kind}: destination-unreachable/host-unreachable is dropped: the file names code 4 only");
    }

    /// <summary>Sends one destination-unreachable of <paramref name="code"/> tagged with <paramref name="tag"/> and waits up to 1 s for it.</summary>
    private static async Task<bool> ArrivesAsync(Socket sender, Socket receiver, byte code, ushort tag)
    {
        await sender.SendToAsync(Unreachable(code, tag), new IPEndPoint(TrafficTests.ServerAddress, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var buffer = new byte[1500];
        try
        {
            while (true)
            {
                var received = await receiver.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                var icmp = buffer.AsSpan((buffer[0] & 0x0f) * 4, received - ((buffer[0] & 0x0f) * 4));
                if (icmp.Length >= 36 && icmp[0] == DestinationUnreachable && icmp[1] == code && BinaryPrimitives.ReadUInt16BigEndian(icmp[34..]) == tag)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// An ICMP destination-unreachable quoting a UDP datagram from the server to the client that was never sent (so
    /// conntrack finds no connection it relates to); <paramref name="tag"/> is the quoted UDP checksum field.
    /// </summary>
    private static byte[] Unreachable(byte code, ushort tag)
    {
        var packet = new byte[8 + 20 + 8];
        packet[0] = DestinationUnreachable;
        packet[1] = code;
        var inner = packet.AsSpan(8);
        inner[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(inner[2..], 28);
        inner[8] = 64;
        inner[9] = (byte)ProtocolType.Udp;
        TrafficTests.ServerAddress.GetAddressBytes().CopyTo(inner[12..]);
        TrafficTests.ClientAddress.GetAddressBytes().CopyTo(inner[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(inner[10..], Checksum(inner[..20]));
        BinaryPrimitives.WriteUInt16BigEndian(inner[20..], 40000);
        BinaryPrimitives.WriteUInt16BigEndian(inner[22..], 40001);
        BinaryPrimitives.WriteUInt16BigEndian(inner[24..], 8);
        BinaryPrimitives.WriteUInt16BigEndian(inner[26..], tag);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), Checksum(packet));
        return packet;
    }

    /// <summary>The internet checksum (RFC 1071) over <paramref name="data"/>, whose checksum field is zero.</summary>
    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (data.Length % 2 == 1)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
