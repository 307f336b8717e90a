using System.Net.Sockets;

namespace Mnp.Tests.Privileged;

/// <summary>Real TCP over a veth pair between two namespaces: the committed rules accept and drop as they say.</summary>
public sealed class TrafficTests : IDisposable
{
    internal static readonly IPAddress ClientAddress = IPAddress.Parse("10.251.0.1");
    internal static readonly IPAddress ServerAddress = IPAddress.Parse("10.251.0.2");
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    [PrivilegedFact]
    public async Task Committed_rules_accept_and_drop_tcp_connections()
    {
        await using var client = await TestNetns.CreateAsync();
        await using var server = await TestNetns.CreateAsync();
        await ConnectAsync(client, server);
        var backend = new IptablesBackend(_executor);
        using var open = await ListenAsync(server, 8080);
        using var blocked = await ListenAsync(server, 9090);
        var beforeBlocked = await TryConnectAsync(client, 9090);

        await backend.ApplyTablesAsync(server.Ref, Policy("vs"), NetfilterTable.Empty(IpFamily.V6));
        var allowed = await TryConnectAsync(client, 8080);
        var dropped = await TryConnectAsync(client, 9090);
        await backend.CleanupAsync(server.Ref);
        var afterCleanup = await TryConnectAsync(client, 9090);

        Assert.True(beforeBlocked, "control: port 9090 must be reachable before any rule");
        Assert.True(allowed, "port 8080 is accepted by the committed rules");
        Assert.False(dropped, "port 9090 is dropped by the committed rules");
        Assert.True(afterCleanup, "cleanup removes the drop");
    }

    [PrivilegedFact]
    public async Task A_committed_nftables_table_accepts_and_drops_tcp_connections_and_its_removal_reopens()
    {
        await using var client = await TestNetns.CreateAsync();
        await using var server = await TestNetns.CreateAsync();
        await ConnectAsync(client, server);
        var backend = new Mnp.Native.Nftables.NftablesBackend(_executor);
        using var open = await ListenAsync(server, 8080);
        using var blocked = await ListenAsync(server, 9090);
        var beforeBlocked = await TryConnectAsync(client, 9090);
        var allowance = new Mnp.Policy.Rules.Allowance(new("x/p", Mnp.Policy.Rules.Direction.Ingress, 0), false,
            [new Mnp.Policy.Rules.PeerMatch(new IPNetwork(ClientAddress, 32), [])], false, [new Mnp.Policy.Rules.PortRange(Mnp.Policy.Cluster.Protocol.Tcp, 8080, 8080)]);
        var ingress = new Mnp.Policy.Rules.DirectionRules(true, ["x/p"], [allowance]);
        var pod = new Mnp.Policy.Rules.PodRules(null!, [new("vs", new("x", "n"), [], ingress, Mnp.Policy.Rules.DirectionRules.Open)]);

        await backend.ApplyAsync(server.Ref, pod, Mnp.Policy.Rules.PolicyOptions.Default, CancellationToken.None);
        var allowed = await TryConnectAsync(client, 8080);
        var dropped = await TryConnectAsync(client, 9090);
        await backend.ApplyAsync(server.Ref, null, Mnp.Policy.Rules.PolicyOptions.Default, CancellationToken.None);
        var afterRemoval = await TryConnectAsync(client, 9090);

        Assert.True(beforeBlocked, "control: port 9090 must be reachable before any rule");
        Assert.True(allowed, "port 8080 from the client is accepted by the committed table");
        Assert.False(dropped, "port 9090 is dropped by the committed table");
        Assert.True(afterRemoval, "removing our table removes the drop");
    }

    private static NetfilterTable Policy(string iface) => new(IpFamily.V4, "filter",
    [
        new NetfilterChain("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-IN")) { InInterface = iface }]),
        new NetfilterChain("MNP-IN",
        [
            new NetfilterRule(RuleTarget.Accept) { CtState = ConntrackStates.Related | ConntrackStates.Established },
            new NetfilterRule(RuleTarget.Accept) { Source = new IPNetwork(ClientAddress, 32), Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(8080, 8080)] },
            new NetfilterRule(RuleTarget.Drop),
        ]),
    ]);

    /// <summary>A veth pair vc (client) - vs (server) between the two namespaces, addressed and up (the nftables tests share it).</summary>
    internal static async Task ConnectAsync(TestNetns client, TestNetns server)
    {
        await Sh.RunAsync("ip", ["link", "add", "vc", "netns", client.Name, "type", "veth", "peer", "name", "vs", "netns", server.Name]);
        await Sh.RunAsync("ip", ["-n", client.Name, "addr", "add", $"{ClientAddress}/24", "dev", "vc"]);
        await Sh.RunAsync("ip", ["-n", server.Name, "addr", "add", $"{ServerAddress}/24", "dev", "vs"]);
        await Sh.RunAsync("ip", ["-n", client.Name, "link", "set", "vc", "up"]);
        await Sh.RunAsync("ip", ["-n", server.Name, "link", "set", "vs", "up"]);
        await WaitOperationallyUpAsync(client.Name, "vc");
        await WaitOperationallyUpAsync(server.Name, "vs");
    }

    /// <summary>
    /// Until the kernel's link watcher has marked the device up (it runs rate-limited, up to a second after
    /// <c>link set up</c>), the device transmits through the no-op qdisc and drops: a first SYN sent then is lost
    /// and retransmitted only after the one-second connect timeout, failing the "reachable before any rule" control.
    /// </summary>
    private static async Task WaitOperationallyUpAsync(string netns, string device)
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await Sh.RunAsync("ip", ["-n", netns, "-o", "link", "show", device])).Contains("state UP", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"{device} in {netns} is not operationally up after 5 s");
    }

    /// <summary>The socket is created inside the namespace (on the executor thread) and used from the host afterwards.</summary>
    private async Task<Socket> ListenAsync(TestNetns server, int port)
    {
        var listener = await _executor.RunAsync(server.Ref, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(ServerAddress, port));
            socket.Listen();
            return socket;
        });
        _ = AcceptForeverAsync(listener);
        return listener;
    }

    private static async Task AcceptForeverAsync(Socket listener)
    {
        try
        {
            while (true)
            {
                using var accepted = await listener.AcceptAsync();
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // listener closed at the end of the test
        }
    }

    private async Task<bool> TryConnectAsync(TestNetns client, int port)
    {
        using var socket = await _executor.RunAsync(client.Ref, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(ServerAddress, port), timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
