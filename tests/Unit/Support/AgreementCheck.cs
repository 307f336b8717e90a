using System.Net.Sockets;
using Mnp.Policy.Cluster;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;
using Mnp.Tests.Unit.E2e;

namespace Mnp.Tests.Unit.Support;

/// <summary>
/// Decides every flow of an <see cref="AgreementCase"/> twice, by <see cref="PolicyEvaluator"/> and by the
/// compiled + rendered tables (<see cref="CompiledRulesChecker"/>), and lists where they disagree.
/// </summary>
public static class AgreementCheck
{
    /// <summary>With <paramref name="nftables"/>, the second opinion walks the nftables model instead of the iptables tables.</summary>
    public static IReadOnlyList<string> Disagreements(AgreementCase testCase, PolicyOptions options, PipelineMutation? mutation = null, bool nftables = false)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var snapshot = testCase.Cluster.Snapshot;
        var evaluator = new PolicyEvaluator(snapshot, options);
        var compiled = new CompiledRulesChecker(options, mutation, nftables);
        var result = new List<string>();
        foreach (var flow in testCase.Cluster.Flows)
        {
            var from = testCase.Cluster.Pod(flow.From);
            var to = testCase.Cluster.Pod(flow.To);
            if (AddressOf(from, flow) is not { } source || AddressOf(to, flow) is not { } destination)
            {
                continue; // a varied pod lost its address of that family
            }

            Compare(result, flow.ToString(), evaluator.Decide(from, source, to, destination, flow.Network, flow.Port, flow.Protocol),
                compiled.Allowed(snapshot, from, source, to, destination, flow.Network, flow.Port, flow.Protocol));
        }

        foreach (var flow in testCase.External)
        {
            var pod = testCase.Cluster.Pod(flow.Pod);
            var own = pod.Interfaces.Where(i => i.Network == flow.Network).SelectMany(i => i.Addresses)
                .First(a => a.AddressFamily == flow.Address.AddressFamily);
            PodInfo? fromPod = flow.Outbound ? pod : null;
            PodInfo? toPod = flow.Outbound ? null : pod;
            var (source, destination) = flow.Outbound ? (own, flow.Address) : (flow.Address, own);
            Compare(result, flow.ToString(), evaluator.Decide(fromPod, source, toPod, destination, flow.Network, flow.Port, flow.Protocol),
                compiled.Allowed(snapshot, fromPod, source, toPod, destination, flow.Network, flow.Port, flow.Protocol));
        }

        return result;
    }

    private static IPAddress? AddressOf(PodInfo pod, RandomFlow flow) =>
        pod.Interfaces.Where(i => i.Network == flow.Network).SelectMany(i => i.Addresses)
            .FirstOrDefault(a => a.AddressFamily == (flow.Family == IpFamily.V6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork));

    private static void Compare(List<string> result, string flow, TraceResult evaluated, bool compiled)
    {
        if (evaluated.Allowed != compiled)
        {
            result.Add($"{flow}: evaluator {(evaluated.Allowed ? "allows" : "denies")} (egress: {evaluated.Egress.Reason}; ingress: {evaluated.Ingress.Reason}), compiled tables {(compiled ? "allow" : "deny")}");
        }
    }
}
