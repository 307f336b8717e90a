using System.Globalization;
using System.Text;

namespace Mnp.Policy.Evaluation;

/// <summary>
/// The reachability table <c>mnp matrix</c> (what the policies imply) and <c>mnp lab probe</c> (what was observed)
/// both print, so the two read side by side: one block per port/protocol (and network and address family when there
/// are several), rows = from, columns = to, <c>.</c> reachable, <c>X</c> blocked, <c>-</c> not in the table (the pod
/// itself, or no shared network).
/// </summary>
public static class ReachabilityTable
{
    public static string Write(IReadOnlyList<ReachabilityCell> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var pods = results.SelectMany(r => new[] { r.From, r.To }).Distinct().Order(StringComparer.Ordinal).ToList();
        var manyNetworks = results.Select(r => r.Network).Distinct().Count() > 1;
        var manyFamilies = results.Select(r => FamilyOf(r.Address)).Distinct().Count() > 1;
        var width = Math.Max(1, pods.Count == 0 ? 1 : pods.Max(p => p.Length));
        var text = new StringBuilder();
        var groups = results
            .GroupBy(r => (Network: manyNetworks ? r.Network : string.Empty, Family: manyFamilies ? FamilyOf(r.Address) : string.Empty, r.Port, r.Protocol))
            .OrderBy(g => g.Key.Network, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Family, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Port)
            .ThenBy(g => g.Key.Protocol, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            AppendMatrix(text, group.Key, group, pods, width);
        }

        return text.ToString();
    }

    private static void AppendMatrix(
        StringBuilder text, (string Network, string Family, int Port, string Protocol) key, IEnumerable<ReachabilityCell> cells, List<string> pods, int width)
    {
        if (text.Length > 0)
        {
            text.Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"{key.Port}/{key.Protocol}");
        if (key.Network.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" {key.Network}");
        }

        if (key.Family.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" {key.Family}");
        }

        text.Append('\n').Append(string.Empty.PadRight(width));
        foreach (var to in pods)
        {
            text.Append(' ').Append(to.PadRight(width));
        }

        text.Append('\n');
        // One pass over the cells, then one lookup per printed cell: scanning every cell per printed cell was O(n^4).
        var marks = new Dictionary<(string From, string To), bool>();
        foreach (var cell in cells)
        {
            marks[(cell.From, cell.To)] = cell.Reachable && marks.GetValueOrDefault((cell.From, cell.To), true);
        }

        foreach (var from in pods)
        {
            text.Append(from.PadRight(width));
            foreach (var to in pods)
            {
                var mark = !marks.TryGetValue((from, to), out var connected) ? '-' : connected ? '.' : 'X';
                text.Append(' ').Append(mark).Append(' ', width - 1);
            }

            text.Append('\n');
        }
    }

    private static string FamilyOf(string address) => address.Contains(':', StringComparison.Ordinal) ? "IPv6" : "IPv4";
}
