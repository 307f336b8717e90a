using System.Collections.Immutable;
using Mnp.Native.Backends;

namespace Mnp.Agent.Operations;

/// <summary>
/// Names every difference between two views of one backend: containers by name, then each location's rules as a
/// longest-common-subsequence edit of their texts (a rule removed next to one added at the same place is a change),
/// then every anomaly of the live view. Empty exactly when the live view holds what the expected one computes.
/// </summary>
public static class RuleDiff
{
    /// <summary>Above this many cells the edit table is not built: the middle is compared position by position.</summary>
    private const long MaxTableCells = 4_000_000;

    public static ImmutableArray<RuleDifference> Compare(RuleView expected, RuleView live)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(live);
        var backend = live.Backend;
        var differences = ImmutableArray.CreateBuilder<RuleDifference>();
        var liveContainers = live.Containers.ToHashSet(StringComparer.Ordinal);
        var expectedContainers = expected.Containers.ToHashSet(StringComparer.Ordinal);
        differences.AddRange(expected.Containers.Where(c => !liveContainers.Contains(c))
            .Select(c => new RuleDifference(backend, DifferenceKind.MissingContainer, c, null, null, null, null)));
        differences.AddRange(live.Containers.Where(c => !expectedContainers.Contains(c))
            .Select(c => new RuleDifference(backend, DifferenceKind.UnexpectedContainer, c, null, null, null, null)));

        var expectedByLocation = expected.Rules.ToLookup(r => r.Location, StringComparer.Ordinal);
        var liveByLocation = live.Rules.ToLookup(r => r.Location, StringComparer.Ordinal);
        var locations = expected.Rules.Select(r => r.Location).Concat(live.Rules.Select(r => r.Location)).Distinct(StringComparer.Ordinal);
        foreach (var location in locations)
        {
            differences.AddRange(CompareRules(backend, location, [.. expectedByLocation[location]], [.. liveByLocation[location]]));
        }

        differences.AddRange(live.Anomalies.Select(a => new RuleDifference(backend, DifferenceKind.Anomaly, AnomalyLocation(a), null, null, a, null)));
        return differences.ToImmutable();
    }

    /// <summary>The anomaly's own prefix (<c>IPv6 filter/INPUT rule 1: ...</c>, <c>table inet mnp ...</c>) up to its first colon.</summary>
    private static string AnomalyLocation(string anomaly)
    {
        var colon = anomaly.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 ? anomaly[..colon] : anomaly;
    }

    private static List<RuleDifference> CompareRules(FirewallBackendKind backend, string location, RuleLine[] expected, RuleLine[] live)
    {
        // Common head and tail first: drift is usually a few rules, and big chains then never need the table.
        var head = 0;
        while (head < expected.Length && head < live.Length && Same(expected[head], live[head]))
        {
            head++;
        }

        var tail = 0;
        while (tail < expected.Length - head && tail < live.Length - head && Same(expected[^(tail + 1)], live[^(tail + 1)]))
        {
            tail++;
        }

        var e = expected[head..^tail];
        var l = live[head..^tail];
        var differences = new List<RuleDifference>();
        var removed = new List<RuleLine>();
        var added = new List<RuleLine>();
        if ((long)e.Length * l.Length > MaxTableCells)
        {
            removed.AddRange(e);
            added.AddRange(l);
            Flush(backend, location, removed, added, differences);
            return differences;
        }

        // lengths[i, j]: the longest common subsequence of e[i..] and l[j..].
        var lengths = new int[e.Length + 1, l.Length + 1];
        for (var i = e.Length - 1; i >= 0; i--)
        {
            for (var j = l.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = Same(e[i], l[j]) ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var (x, y) = (0, 0);
        while (x < e.Length || y < l.Length)
        {
            if (x < e.Length && y < l.Length && Same(e[x], l[y]))
            {
                Flush(backend, location, removed, added, differences);
                (x, y) = (x + 1, y + 1);
            }
            else if (y < l.Length && (x == e.Length || lengths[x, y + 1] >= lengths[x + 1, y]))
            {
                added.Add(l[y++]);
            }
            else
            {
                removed.Add(e[x++]);
            }
        }

        Flush(backend, location, removed, added, differences);
        return differences;
    }

    /// <summary>One run of edits between two common rules: pairs become changes, the rest missing or unexpected.</summary>
    private static void Flush(FirewallBackendKind backend, string location, List<RuleLine> removed, List<RuleLine> added, List<RuleDifference> differences)
    {
        var paired = Math.Min(removed.Count, added.Count);
        for (var i = 0; i < paired; i++)
        {
            differences.Add(new RuleDifference(backend, DifferenceKind.Changed, location, added[i].Index, removed[i].Text, added[i].Text, removed[i].Origin ?? added[i].Origin));
        }

        differences.AddRange(removed.Skip(paired).Select(r => new RuleDifference(backend, DifferenceKind.Missing, location, r.Index, r.Text, null, r.Origin)));
        differences.AddRange(added.Skip(paired).Select(r => new RuleDifference(backend, DifferenceKind.Unexpected, location, r.Index, null, r.Text, r.Origin)));
        removed.Clear();
        added.Clear();
    }

    private static bool Same(RuleLine a, RuleLine b) => string.Equals(a.Text, b.Text, StringComparison.Ordinal);
}
