using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Evaluation;

/// <summary>
/// An independent decision procedure for docs/semantics.md, straight over the <see cref="ClusterSnapshot"/> records
/// (it never uses the compiled Rules/ model, so that compiler and evaluator can be checked against each other).
/// Indexes are built once; every query is read-only, so one instance may serve many threads.
/// </summary>
public sealed class PolicyEvaluator
{
    private readonly ClusterSnapshot _snapshot;
    private readonly EvaluatorIndex _index;
    private readonly ConnectionResolver _resolver;
    private readonly DirectionDecider _decider;

    public PolicyEvaluator(ClusterSnapshot snapshot, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        _snapshot = snapshot;
        _index = new EvaluatorIndex(snapshot, options);
        _resolver = new ConnectionResolver(_index);
        _decider = new DirectionDecider(_index);
    }

    public ClusterSnapshot Snapshot => _snapshot;

    /// <summary>True when the network's NAD exists and its CNI type is in the managed plugin list.</summary>
    public bool IsManaged(NetworkRef network) => _index.IsManaged(network);

    /// <summary>Resolves the query as docs/cli.md §3 says and decides it; throws <see cref="TraceException"/> on a query it cannot answer.</summary>
    public TraceResult Trace(ConnectionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var network = query.Network ?? _resolver.ResolveNetwork(query.From, query.To);
        var family = _resolver.ResolveFamily(query, network);
        var from = _resolver.ResolveEnd(query.From, network, family);
        var to = _resolver.ResolveEnd(query.To, network, family);
        var port = ConnectionResolver.ResolvePort(query.Port, query.Protocol, to.Pod);
        return Decide(from, to, network, family, port, query.Protocol);
    }

    /// <summary>
    /// Decides a connection between two already resolved ends (either may be a pod, which must have
    /// <paramref name="fromAddress"/>/<paramref name="toAddress"/> on <paramref name="network"/>).
    /// </summary>
    public TraceResult Decide(PodInfo? fromPod, IPAddress fromAddress, PodInfo? toPod, IPAddress toAddress, NetworkRef network, int port, Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(fromAddress);
        ArgumentNullException.ThrowIfNull(toAddress);
        var family = toAddress.AddressFamily == AddressFamily.InterNetworkV6 ? IpFamily.V6 : IpFamily.V4;
        return Decide(new ResolvedEnd(fromPod, fromAddress), new ResolvedEnd(toPod, toAddress), network, family, port, protocol);
    }

    /// <summary>The verdict of every ordered pair of distinct pods sharing a network, as <c>mnp matrix</c> prints it.</summary>
    public ImmutableArray<ReachabilityFlow> Reachability(ReachabilityRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var flows = ImmutableArray.CreateBuilder<ReachabilityFlow>();
        var networks = request.Network is { } only
            ? [only]
            : _snapshot.Pods.SelectMany(p => p.Interfaces).Select(i => i.Network).Distinct().Order().ToList();
        var pods = _snapshot.Pods.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        foreach (var network in networks)
        {
            foreach (var family in request.IteratedFamilies)
            {
                var members = pods
                    .Select(p => (Pod: p, Address: EvaluatorIndex.AddressOn(p, network, family)))
                    .Where(m => m.Address is not null)
                    .ToList();
                foreach (var source in members)
                {
                    foreach (var destination in members)
                    {
                        // With the shared-family rule a dual-stack pair is shown once, in IPv4.
                        if (ReferenceEquals(source.Pod, destination.Pod)
                            || (request.SharedFamilyOnly && family == IpFamily.V6
                                && EvaluatorIndex.AddressOn(source.Pod, network, IpFamily.V4) is not null && EvaluatorIndex.AddressOn(destination.Pod, network, IpFamily.V4) is not null))
                        {
                            continue;
                        }

                        foreach (var (port, protocol) in request.PortsFor(destination.Pod))
                        {
                            var result = Decide(
                                new ResolvedEnd(source.Pod, source.Address!),
                                new ResolvedEnd(destination.Pod, destination.Address!),
                                network,
                                family,
                                port,
                                protocol);
                            flows.Add(new ReachabilityFlow(source.Pod.Key, destination.Pod.Key, network, destination.Address!, port, protocol, result.Allowed));
                        }
                    }
                }
            }
        }

        return flows.ToImmutable();
    }

    private TraceResult Decide(ResolvedEnd from, ResolvedEnd to, NetworkRef network, IpFamily family, int port, Protocol protocol)
    {
        var managed = IsManaged(network);
        var connection = new EvaluatedConnection(from, to, network, port, protocol);
        var egress = _decider.Decide(Direction.Egress, from.Pod, to, connection, managed);
        var ingress = _decider.Decide(Direction.Ingress, to.Pod, from, connection, managed);
        return new TraceResult(
            new TraceEndpoint(from.Pod?.Key, from.Address),
            new TraceEndpoint(to.Pod?.Key, to.Address),
            network,
            managed,
            family,
            port,
            protocol,
            egress,
            ingress);
    }
}
