using System.Net;
using Mnp.Agent.Lab;
using Mnp.Agent.Lab.Probe;
using Mnp.Agent.Manifests;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Input;

namespace Mnp.Agent.Cli.Html;

/// <summary>
/// <c>mnp lab probe -o html</c>: what each probe observed, explained by the engine's trace of the lab's current
/// manifests (with the lab's recorded policy options); a cell where the observation differs from the prediction
/// is marked.
/// </summary>
internal static class ProbePage
{
    public static string Write(LabStore store, string lab, IReadOnlyList<ProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(store);
        var snapshot = ClusterSnapshotBuilder.FromManifests(ManifestLoader.Load([store.ManifestsDirectory(lab)]).Objects);
        var options = store.LoadPolicySettings(lab)?.ToOptions() ?? new Mnp.Policy.Rules.PolicyOptions();
        var evaluator = new PolicyEvaluator(snapshot, options);
        var cells = results.Select(r =>
        {
            var network = NetworkNames.Parse(r.Network)!.Value;
            var trace = MatrixTraces.Trace(evaluator, r.From, r.To, network, IPAddress.Parse(r.Address), r.Port, ProtocolNames.Parse(r.Protocol, "protocol"));
            return new MatrixCell(r.From, r.To, r.Network, r.Address, r.Port, r.Protocol, r.Connected, TraceExplanation.Lines(trace), TraceText.Write(trace), trace.Allowed);
        }).ToList();
        return MatrixHtml.Write(
            $"mnp lab probe: {lab}",
            $"Real connections between the pods of lab {lab}, each explained by the trace of the lab's manifests. Hover a cell for its full trace.",
            cells,
            "connected",
            "blocked");
    }
}
