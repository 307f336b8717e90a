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
/// case a linear layout has).
/// <para>
/// A window applies one case through the backend into the emptied namespace, checks that the policy holds (another
/// listening port is unreachable; reachable without a policy), empties the server's conntrack table, makes 1,000
/// untimed and then 20,000 timed connect-and-reset connections, and removes the policy. Only the SYN of each new
/// flow walks the policy (conntrack accepts the rest).
/// </para>
/// <para>
/// Why the first version's one-second rounds varied by ±25%, and what is done at each source: the client and the
/// server's accepting thread could share a CPU (now the client, the executor's thread, is pinned to CPU 0 and the
/// accepting thread to CPU 1); the server accepted through a managed <c>Socket</c> per connection, whose garbage
/// collections stopped both threads (both sides now use raw system calls and allocate nothing: 0 collections per
/// window, printed); the accept queue (4,096) overflowed when the accepting thread waited for its CPU, and the lost SYN
/// cost a 1 s retransmit in the window (the lab's server namespace now allows a queue longer than a window); the
/// kernel's random ephemeral ports repeat after a few thousand connections and conntrack must then kill the old flow
/// first, a cost that grew along a round and with what the cases before had left in the table (each connection now
/// binds the next port of the client's own range, and the table is emptied before every window). The machine's other
/// load cannot be removed: so besides the wall-clock rate each window reports its rate per second of the client
/// thread's CPU time (the SYN's walk through the server's policy runs in the client's softirq, which this kernel
/// charges to the client: no IRQ time accounting), the cost of a connection whatever else ran on the CPU, and its
/// share of its CPU.
/// </para>
/// <para>
/// Windows come in pairs: per backend, 50 and 5,000 peers back to back, the order of the two and of the backends
/// alternated from pair to pair, so drift and order hit both alike; a no-policy window opens each pair. Reported per
/// case: median, interquartile range and min–max of both rates, the client's share of its CPU, the commit time; per
/// backend, the paired ratio 5,000/50 with its spread across pairs and the median's 95% confidence interval, and the
/// extra client CPU per connection: they answer whether the rate falls with the number of peers. Listen overflows and
/// the slowest single connect are printed as checks. The lab is removed afterwards, whatever happened; only the
/// lab's namespaces are touched (their conntrack table and accept-queue cap included).
/// </para>
/// </summary>
internal static class PeerRateBenchmark
{
    public const int Pairs = 24;
    public const int WarmUpConnections = 1000;
    public const int TimedConnections = 20_000;
    public const int ClientCpu = 0;
    public const int ServerCpu = 1;

    /// <summary>The client's first source port; a window uses 21,000 from here, below the ephemeral range (32768 up) that the reachability check draws from.</summary>
    private const int FirstPort = 10_000;
    private const string Config = """{"type":"macvlan","ipam":{"type":"host-local","ranges":[[{"subnet":"10.93.0.0/24"}]]}}""";
    private const int AllowedPort = 5201;
    private const int OtherPort = 5202;
    private static readonly NetworkRef Network = new("server", "net1");

    public static async Task RunAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("peer-rate needs root (network namespaces, netfilter)");
        }

        if (Environment.ProcessorCount < 2)
        {
            throw new InvalidOperationException("peer-rate pins the client and the server's accepting thread to two different CPUs; this machine has one");
        }

        using var executor = new NetnsExecutor();
        var builder = new LabBuilder(executor, new NamedNetns(), new LabStore());
        var labName = "pr" + Guid.NewGuid().ToString("N")[..6];
        var cluster = Cluster();
        var loadAtStart = PeerRateReport.LoadAverage();
        var clock = Stopwatch.StartNew();
        try
        {
            var state = await builder.UpAsync(labName, cluster).ConfigureAwait(false);
            var clientPod = state.FindPod("client/c")!;
            var serverPod = state.FindPod("server/s")!;
            var serverAddress = serverPod.Interfaces[0].Addresses[0].Address;
            var lab = new PeerRateLab(executor, NetnsRef.Named(clientPod.Netns), NetnsRef.Named(serverPod.Netns), clientPod.Interfaces[0].Addresses[0].Address,
                new IPEndPoint(serverAddress, AllowedPort), new IPEndPoint(serverAddress, OtherPort));
            using var allowed = await ConnectionSink.StartAsync(executor, lab.Server, lab.Allowed, ServerCpu).ConfigureAwait(false);
            using var other = await ConnectionSink.StartAsync(executor, lab.Server, lab.Other, ServerCpu).ConfigureAwait(false);
            Console.WriteLine($"lab {labName}: client {lab.ClientAddress}, server {lab.Allowed}; load (1/5/15 min) {loadAtStart}");

            IFirewallBackend nftables = new NftablesBackend(executor);
            IFirewallBackend iptables = new IptablesBackend(executor);
            var none = new PeerRateCase("no policy", null, 0);
            PeerRateComparison[] comparisons =
            [
                new("nftables", new("nftables, 50 peers", nftables, 50), new("nftables, 5,000 peers", nftables, 5000)),
                new("iptables", new("iptables, 50 peers", iptables, 50), new("iptables, 5,000 peers", iptables, 5000)),
            ];
            var pod = cluster.Pods.Single(p => p.Namespace == "server");
            for (var pair = 0; pair < Pairs; pair++)
            {
                await MeasureAsync(lab, none, null).ConfigureAwait(false);
                foreach (var comparison in pair % 2 == 0 ? comparisons : [comparisons[1], comparisons[0]])
                {
                    PeerRateCase[] order = pair / 2 % 2 == 0 ? [comparison.Few, comparison.Many] : [comparison.Many, comparison.Few];
                    foreach (var measured in order)
                    {
                        await MeasureAsync(lab, measured, Rules(pod, serverAddress, lab.ClientAddress, measured.Peers)).ConfigureAwait(false);
                    }

                    comparison.AddPair();
                }
            }

            var overflows = await executor.RunAsync(lab.Server, ConnectionSink.ListenOverflows).ConfigureAwait(false);
            PeerRateReport.Print(none, comparisons, overflows, loadAtStart, PeerRateReport.LoadAverage(), clock.Elapsed);
        }
        finally
        {
            await builder.DownAsync(labName).ConfigureAwait(false);
        }
    }

    private static async Task MeasureAsync(PeerRateLab lab, PeerRateCase measured, PodRules? rules)
    {
        var executor = lab.Executor;
        if (measured.Backend is { } backend)
        {
            var clock = Stopwatch.StartNew();
            var applied = await backend.ApplyAsync(lab.Server, rules, PolicyOptions.Default, CancellationToken.None).ConfigureAwait(false);
            measured.CommitMilliseconds.Add(clock.Elapsed.TotalMilliseconds);
            measured.KernelRules = applied.Rules;
            if (measured.Backend is IptablesBackend && measured.ClientRulePosition is null)
            {
                measured.ClientRulePosition = await ClientRulePositionAsync(lab.Server, rules!).ConfigureAwait(false);
            }
        }

        try
        {
            // The policy is in the path: the port it does not allow is unreachable (and reachable without a policy).
            var otherReached = await executor.RunAsync(lab.Client, () => Reaches(lab.Other)).ConfigureAwait(false);
            if (otherReached != (measured.Backend is null))
            {
                throw new InvalidOperationException($"{measured.Name}: port {lab.Other.Port} {(otherReached ? "reached through" : "blocked without")} the policy");
            }

            await executor.RunAsync(lab.Server, () =>
            {
                ConntrackTable.Flush();
                return true;
            }).ConfigureAwait(false);
            GC.Collect();
            var window = await executor.RunAsync(lab.Client, () => ClientConnections.Run(lab.ClientAddress, lab.Allowed, FirstPort, WarmUpConnections, TimedConnections, ClientCpu)).ConfigureAwait(false);
            measured.Windows.Add(window);
            measured.ConntrackAfter.Add(await executor.RunAsync(lab.Server, ConntrackTable.Count).ConfigureAwait(false));
        }
        finally
        {
            if (measured.Backend is { } owner)
            {
                await owner.ApplyAsync(lab.Server, null, PolicyOptions.Default, CancellationToken.None).ConfigureAwait(false);
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
            return socket.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectWrite)
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
