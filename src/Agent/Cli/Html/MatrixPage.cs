using Mnp.Policy.Evaluation;

namespace Mnp.Agent.Cli.Html;

/// <summary><c>mnp matrix -o html</c>: the engine's verdict for each flow, with its trace.</summary>
internal static class MatrixPage
{
    public static string Write(PolicyEvaluator evaluator, IEnumerable<ReachabilityFlow> flows, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(flows);
        var cells = flows
            .Select(f => MatrixTraces.Cell(f, MatrixTraces.Trace(evaluator, f.From, f.To, f.Network, f.Address, f.Port, f.Protocol)))
            .ToList();
        return MatrixHtml.Write(
            "mnp matrix",
            $"New connections the policies in {string.Join(", ", files)} allow, as mnp trace decides them. Hover a cell for its full trace.",
            cells,
            "allowed",
            "denied");
    }
}
