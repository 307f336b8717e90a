using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.E2e;

/// <summary>
/// The second opinion: compile the snapshot to each pod's rules, render its filter table, and walk that table with
/// <see cref="TableClassifier"/>: a NEW packet leaving the source (OUTPUT, -o its interface) and arriving at the
/// destination (INPUT, -i its interface); allowed iff both tables accept. An end that is not a pod (an external
/// address) has no table. Then, for an allowed connection, the ESTABLISHED reply must pass both tables too
/// (docs/semantics.md §3: replies always pass). An optional <see cref="PipelineMutation"/> plants a bug for tests. With
/// <paramref name="nftables"/> the tables are the nftables model (<see cref="NftRenderer"/>) walked by
/// <see cref="NftClassifier"/> instead.
/// </summary>
public sealed class CompiledRulesChecker(PolicyOptions options, PipelineMutation? mutation = null, bool nftables = false) : IReachabilityChecker
{
    private readonly Dictionary<(string Pod, IpFamily Family), NetfilterTable> _tables = [];
    private readonly Dictionary<string, NftTable?> _nftTables = [];
    private ClusterSnapshot? _snapshot;
    private ClusterSnapshot? _compiled;

    public bool Allowed(ClusterSnapshot snapshot, PodInfo from, PodInfo to, NetworkRef network, IpFamily family, int port, Protocol protocol) =>
        Allowed(snapshot, from, EvaluatorChecker.AddressOf(from, network, family), to, EvaluatorChecker.AddressOf(to, network, family), network, port, protocol);

    /// <summary>Either end may be a pod (holding the address on <paramref name="network"/>) or just an address (null pod).</summary>
    public bool Allowed(ClusterSnapshot snapshot, PodInfo? from, IPAddress source, PodInfo? to, IPAddress destination, NetworkRef network, int port, Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var family = destination.AddressFamily == AddressFamily.InterNetworkV6 ? IpFamily.V6 : IpFamily.V4;
        var proto = (NetfilterProtocol)(int)protocol;
        var fromInterface = from is null ? null : Interface(from, network, source);
        var toInterface = to is null ? null : Interface(to, network, destination);
        var outbound = new NetfilterPacket(family, null, fromInterface, source, destination, proto, port);
        var inbound = new NetfilterPacket(family, toInterface, null, source, destination, proto, port);
        var allowed = Passes(snapshot, from, outbound) && Passes(snapshot, to, inbound);
        if (allowed)
        {
            // The reply travels back as ESTABLISHED from a source port we do not model: use the port as both.
            var replyOut = new NetfilterPacket(family, null, toInterface, destination, source, proto, port, State: ConntrackStates.Established);
            var replyIn = replyOut with { InInterface = fromInterface, OutInterface = null };
            Assert.True(Passes(snapshot, to, replyOut), $"reply {destination} -> {source} dropped on the way out");
            Assert.True(Passes(snapshot, from, replyIn), $"reply {destination} -> {source} dropped on the way in");
        }

        return allowed;
    }

    /// <summary>A packet at a pod's table; an address end has none (and a packet without its interface never enters one).</summary>
    private bool Passes(ClusterSnapshot snapshot, PodInfo? pod, NetfilterPacket packet) =>
        pod is null || (packet.InInterface ?? packet.OutInterface) is null || (nftables
            ? NftClassifier.Accepts(NftTableOf(snapshot, pod), packet)
            : TableClassifier.Classify(TableOf(snapshot, pod, packet.Family), packet).Accepted);

    private NftTable? NftTableOf(ClusterSnapshot snapshot, PodInfo pod)
    {
        Reset(snapshot);
        if (!_nftTables.TryGetValue(pod.Key, out var table))
        {
            var rules = RulesOf(pod);
            table = rules is null ? null : NftRenderer.Render(rules, options);
            table = table is not null && mutation?.NftTable is { } mutateTable ? mutateTable(table) : table;
            _nftTables[pod.Key] = table;
        }

        return table;
    }

    /// <summary>A new snapshot drops every cached table.</summary>
    private void Reset(ClusterSnapshot snapshot)
    {
        if (!ReferenceEquals(snapshot, _snapshot))
        {
            _tables.Clear();
            _nftTables.Clear();
            _snapshot = snapshot;
            _compiled = mutation?.Snapshot is { } rewrite ? rewrite(snapshot) : snapshot;
        }
    }

    private PodRules? RulesOf(PodInfo pod)
    {
        var compiledPod = _compiled!.Pods.First(p => p.Key == pod.Key);
        var rules = PolicyCompiler.CompilePod(_compiled, compiledPod, options);
        return rules is not null && mutation?.Rules is { } mutateRules ? mutateRules(rules) : rules;
    }

    /// <summary>A pod that is not a policy endpoint or has no managed interface gets no rules: an empty table.</summary>
    private NetfilterTable TableOf(ClusterSnapshot snapshot, PodInfo pod, IpFamily family)
    {
        Reset(snapshot);
        if (!_tables.TryGetValue((pod.Key, family), out var table))
        {
            var rules = RulesOf(pod);
            table = rules is null ? NetfilterTable.Empty(family) : TableRenderer.Render(rules, family, options);
            table = mutation?.Table is { } mutateTable ? mutateTable(table) : table;
            _tables[(pod.Key, family)] = table;
        }

        return table;
    }

    private static string Interface(PodInfo pod, NetworkRef network, IPAddress address) =>
        pod.Interfaces.First(i => i.Network == network && i.Addresses.Contains(address)).Interface;
}
