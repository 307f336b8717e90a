using System.Net;
using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Evaluation;

namespace Mnp.Agent.Cli.Html;

/// <summary>The full trace behind each matrix flow (the flow keeps only the verdict), decided by the same evaluator.</summary>
internal static class MatrixTraces
{
    public static TraceResult Trace(PolicyEvaluator evaluator, string from, string to, NetworkRef network, IPAddress toAddress, int port, Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        var source = Pod(evaluator.Snapshot, from);
        var destination = Pod(evaluator.Snapshot, to);
        var fromAddress = source.Interfaces
            .Where(i => i.Network == network)
            .SelectMany(i => i.Addresses)
            .FirstOrDefault(a => a.AddressFamily == toAddress.AddressFamily)
            ?? throw new CliException($"pod {from} has no {Family(toAddress)} address on {network}");
        return evaluator.Decide(source, fromAddress, destination, toAddress, network, port, protocol);
    }

    public static MatrixCell Cell(ReachabilityFlow flow, TraceResult trace)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return new MatrixCell(
            flow.From, flow.To, flow.Network.ToString(), flow.Address.ToString(), flow.Port, ProtocolNames.Name(flow.Protocol),
            flow.Allowed, TraceExplanation.Lines(trace), TraceText.Write(trace));
    }

    private static PodInfo Pod(ClusterSnapshot snapshot, string key) =>
        snapshot.Pods.FirstOrDefault(p => p.Key == key) ?? throw new CliException($"pod {key} is not in the manifests");

    private static string Family(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
