using Mnp.Policy.Evaluation;

namespace Mnp.Agent.Cli.Html;

/// <summary>The short per-direction explanation a matrix cell shows: which policies isolate it and which rule allowed it.</summary>
internal static class TraceExplanation
{
    public static IReadOnlyList<string> Lines(TraceResult trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return [Line("egress", trace.Egress), Line("ingress", trace.Ingress)];
    }

    private static string Line(string name, DirectionTrace direction)
    {
        if (!direction.Isolated)
        {
            return $"{name}: not isolated";
        }

        var isolating = string.Join(", ", direction.SelectingPolicies);
        return direction.AllowedBy.IsEmpty
            ? $"{name}: isolated by {isolating}; no rule allows it"
            : $"{name}: allowed by {string.Join(", ", direction.AllowedBy.Select(m => $"{m.Policy} rule {m.Rule}"))}";
    }
}
