using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;
using Mnp.Agent.Lab;
using Mnp.Native.Backends;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Native.Nftables;
using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;

namespace Mnp.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Mnp.Bench -- peer-rate</c> (root): new TCP connections per second through
/// a policy whose peers are 50 or 5,000 pods, nftables (one interval set: a lookup) against iptables (the libiptc
/// layout: one rule per peer address, walked in order). A lab of two pods (<c>client/c</c>, <c>server/s</c>, one
/// macvlan network) is built; the server listens on TCP 5201 and allows it from N peer addresses: N − 1 addresses
/// that are not the client's, all below it, then the client's, so it is the last one iptables reaches (the worst
/// case a linear layout has). A round is one second of connect-and-close from the client on the client's netns thread
/// (linger 0: the close is a reset, so no TIME_WAIT runs out the ports; each connect is a new conntrack flow, and only
/// its SYN walks the policy, the rest is established); the server accepts and closes. Each round applies one case
/// (no policy, each backend with 50 and 5,000 peers) through the backend, checks that the policy holds (another
/// listening port is unreachable), measures, and removes it; the cases are interleaved over five rounds, the
/// median is reported. Also prints each commit's time. The lab is removed afterwards, whatever happened.
/// </summary>
internal static class PeerRateBenchmark
{
    private const string Config = """{"type":"macvlan","ipam":{"type":"host-local","ranges":[[{"subnet":"10.93.0.0/24"}]]}}""";
    private const int AllowedPort = 5201;
    private const int OtherPort = 5202;
    private const int Rounds = 5;
    private static readonly TimeSpan RoundLength = TimeSpan.FromSeconds(1);
    private static readonly NetworkRef Network = new("server", "net1");

    public static async Task RunAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("peer-rate needs root (network namespaces, netfilter)");
        }

        using var executor = new NetnsExecutor();
        var builder = new LabBuilder(executor, new NamedNetns(), new LabStore());
        var lab = "pr" + Guid.NewGuid().ToString("N")[..6];
        var cluster = Cluster();
        try
        {
            var state = await builder.UpAsync(lab, cluster).ConfigureAwait(false);
            var client = NetnsRef.Named(state.FindPod("client/c")!.Netns);
            var serverPod = state.FindPod("server/s")!;
            var server = NetnsRef.Named(serverPod.Netns);
            var clientAddress = state.FindPod("client/c")!.Interfaces[0].Addresses[0].Address;
            var serverAddress = serverPod.Interfaces[0].Addresses[0].Address;
            using var allowed = await ConnectionSink.StartAsync(executor, server, new IPEndPoint(serverAddress, AllowedPort)).ConfigureAwait(false);
            using var other = await ConnectionSink.StartAsync(executor, server, new IPEndPoint(serverAddress, OtherPort)).ConfigureAwait(false);
            Console.WriteLine($"lab {lab}: client {clientAddress}, server {serverAddress}:{AllowedPort}");

            IFirewallBackend nftables = new NftablesBackend(executor);
            IFirewallBackend iptables = new IptablesBackend(executor);
            PeerRateCase[] cases =
            [
                new("no policy", null, 0),
                new("nftables, 50 peers", nftables, 50),
                new("nftables, 5,000 peers", nftables, 5000),
                new("iptables, 50 peers", iptables, 50),
                new("iptables, 5,000 peers", iptables, 5000),
            ];
            var pod = cluster.Pods.Single(p => p.Namespace == "server");
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var measured in cases)
                {
                    var rules = measured.Peers > 0 ? Rules(pod, serverAddress, clientAddress, measured.Peers) : null;
                    await RunCaseAsync(executor, measured, client, server, rules, new IPEndPoint(serverAddress, AllowedPort), new IPEndPoint(serverAddress, OtherPort)).ConfigureAwait(false);
                }
            }

            Console.WriteLine($"new TCP connections per second through the server's policy (client's address last of the peers), median of {Rounds} rounds of {RoundLength.TotalSeconds:F0} s:");
            foreach (var measured in cases)
            {
                Console.WriteLine($"  {measured.Name,-22} {Median(measured.Rates),7:F0} /s  (rounds {string.Join(", ", measured.Rates.Select(r => r.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}; first commit into the emptied namespace {Median(measured.CommitMilliseconds):F1} ms, {measured.KernelRules} rules{(measured.ClientRulePosition is { } position ? ", " + position : "")})");
            }
        }
        finally
        {
            await builder.DownAsync(lab).ConfigureAwait(false);
        }
    }

    private static async Task RunCaseAsync(NetnsExecutor executor, PeerRateCase measured, NetnsRef client, NetnsRef server, PodRules? rules, IPEndPoint allowed, IPEndPoint other)
    {
        if (measured.Backend is { } backend)
        {
            var clock = Stopwatch.StartNew();
            var applied = await backend.ApplyAsync(server, rules, PolicyOptions.Default, CancellationToken.None).ConfigureAwait(false);
            measured.CommitMilliseconds.Add(clock.Elapsed.TotalMilliseconds);
            measured.KernelRules = applied.Rules;
            if (measured.Backend is IptablesBackend && measured.ClientRulePosition is null)
            {
                measured.ClientRulePosition = await ClientRulePositionAsync(server, rules!).ConfigureAwait(false);
            }
        }

        try
        {
            // The policy is in the path: the port it does not allow is unreachable (and reachable without a policy).
            var otherReached = await executor.RunAsync(client, () => Reaches(other)).ConfigureAwait(false);
            if (otherReached != (measured.Backend is null))
            {
                throw new InvalidOperationException($"{measured.Name}: port {other.Port} {(otherReached ? "reached through" : "blocked without")} the policy");
            }

            await executor.RunAsync(client, () => ConnectLoop(allowed, TimeSpan.FromMilliseconds(200))).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            var connections = await executor.RunAsync(client, () => ConnectLoop(allowed, RoundLength)).ConfigureAwait(false);
            measured.Rates.Add(connections / clock.Elapsed.TotalSeconds);
        }
        finally
        {
            if (measured.Backend is { } owner)
            {
                await owner.ApplyAsync(server, null, PolicyOptions.Default, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Where iptables meets the client's address among the peer rules, as <c>iptables-legacy-save</c> lists them (the oracle, not our reader).</summary>
    private static async Task<string> ClientRulePositionAsync(NetnsRef server, PodRules rules)
    {
        var peers = rules.Interfaces[0].Ingress.Allowances[0].Peers;
        var clientSource = $"-s {peers[^1].Cidr}";
        var save = await Cli.Wrap("ip").WithArguments(["netns", "exec", Path.GetFileName(server.Path), "iptables-legacy-save", "-t", "filter"]).ExecuteBufferedAsync().ConfigureAwait(false);
        var peerRules = save.StandardOutput.Split('\n').Where(l => l.Contains(" -s ", StringComparison.Ordinal)).ToList();
        var position = peerRules.FindIndex(l => l.Contains(clientSource + " ", StringComparison.Ordinal)) + 1;
        return $"client's rule {position} of {peerRules.Count}";
    }

    /// <summary>On the client's netns thread: connect and reset-close for <paramref name="length"/>; a refused or lost connection fails the run.</summary>
    private static int ConnectLoop(IPEndPoint target, TimeSpan length)
    {
        var reset = new LingerOption(true, 0);
        var connections = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < length)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { LingerState = reset };
            socket.Connect(target);
            connections++;
        }

        return connections;
    }

    private static bool Reaches(IPEndPoint target)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false, LingerState = new LingerOption(true, 0) };
        try
        {
            socket.Connect(target);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            return socket.Poll(TimeSpan.FromMilliseconds(500), SelectMode.SelectWrite)
                && (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)! == 0;
        }
    }

    /// <summary>The server's ingress: TCP 5201 from <paramref name="peers"/> addresses, every other one of 10.80.0.0/16 and then the client's.</summary>
    private static PodRules Rules(PodInfo pod, IPAddress serverAddress, IPAddress clientAddress, int peers)
    {
        var addresses = Enumerable.Range(0, peers - 1).Select(i => new IPAddress([10, 80, (byte)((2 * i) >> 8), (byte)(2 * i)])).Append(clientAddress);
        var allowance = new Allowance(new RuleOrigin("server/from-peers", Direction.Ingress, 0), false,
            [.. addresses.Select(a => new PeerMatch(new IPNetwork(a, 32), []))], false, [new PortRange(Protocol.Tcp, AllowedPort, AllowedPort)]);
        var ingress = new DirectionRules(true, ["server/from-peers"], [allowance]);
        return new PodRules(pod, [new InterfaceRules("net1", Network, [serverAddress], ingress, DirectionRules.Open)]);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private static ClusterSnapshot Cluster()
    {
        PodInfo Pod(string ns, string name) => new(ns, name, $"{ns}-{name}", ImmutableDictionary<string, string>.Empty, "Running", false, "lab", [], [], [new NetworkRequest(Network, null, [])]);
        return new ClusterSnapshot(
            [new NamespaceInfo("client", ImmutableDictionary<string, string>.Empty), new NamespaceInfo("server", ImmutableDictionary<string, string>.Empty)],
            [Pod("client", "c"), Pod("server", "s")],
            [new NetworkAttachmentInfo("server", "net1", "macvlan", Config)],
            [],
            []);
    }
}
