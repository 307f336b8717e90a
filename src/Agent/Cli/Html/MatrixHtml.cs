using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using static System.Net.WebUtility;

namespace Mnp.Agent.Cli.Html;

/// <summary>
/// <c>-o html</c> of <c>mnp matrix</c> and <c>mnp lab probe</c>: one self-contained page (inline CSS, no script,
/// nothing fetched), a grid per network, address family, port and protocol, rows = from, columns = to, each cell
/// coloured by its verdict and saying why (the trace per direction; the full trace as its tooltip). Each cell
/// carries its flow as data attributes, so a reader (or a test) can match it with the JSON output.
/// </summary>
internal static class MatrixHtml
{
    private const string Style = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1b1b; background: #fff; }
        h1 { font-size: 20px; margin: 0 0 4px; }
        h2 { font-size: 16px; margin: 24px 0 8px; }
        p.legend span { display: inline-block; padding: 2px 8px; margin-right: 8px; border-radius: 3px; }
        table { border-collapse: collapse; }
        th, td { border: 1px solid #9e9e9e; padding: 6px 8px; vertical-align: top; text-align: left; }
        thead th, tbody th { background: #eceff1; font-weight: 600; white-space: nowrap; }
        td { min-width: 160px; max-width: 260px; }
        td b { display: block; }
        td small { display: block; color: #37474f; }
        .allowed { background: #c8e6c9; }
        .denied { background: #ffcdd2; }
        .none { background: #f5f5f5; color: #9e9e9e; text-align: center; }
        .mismatch { outline: 3px dashed #6a1b9a; outline-offset: -3px; }
        """;

    public static string Write(string title, string subtitle, IReadOnlyList<MatrixCell> cells, string allowedWord, string deniedWord)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>").Append(HtmlEncode(title)).Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(HtmlEncode(title)).Append("</h1>\n<p>").Append(HtmlEncode(subtitle)).Append("</p>\n")
            .Append("<p class=\"legend\"><span class=\"allowed\">").Append(allowedWord).Append("</span><span class=\"denied\">").Append(deniedWord).Append("</span>");
        if (cells.Any(c => c.Expected is { } expected && expected != c.Allowed))
        {
            page.Append("<span class=\"mismatch\">differs from what the policies imply</span>");
        }

        page.Append("</p>\n");
        var groups = cells
            .GroupBy(c => (c.Network, Family: FamilyOf(c.Address), c.Port, c.Protocol))
            .OrderBy(g => g.Key.Network, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Family, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Port)
            .ThenBy(g => g.Key.Protocol, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            AppendGrid(page, group.Key, [.. group], allowedWord, deniedWord);
        }

        if (cells.Count == 0)
        {
            page.Append("<p>No pair of pods shares a network.</p>\n");
        }

        return page.Append("</body>\n</html>\n").ToString();
    }

    private static void AppendGrid(StringBuilder page, (string Network, string Family, int Port, string Protocol) key, List<MatrixCell> cells, string allowedWord, string deniedWord)
    {
        var pods = cells.SelectMany(c => new[] { c.From, c.To }).Distinct().Order(StringComparer.Ordinal).ToList();
        var byPair = cells.ToDictionary(c => (c.From, c.To));
        page.Append(CultureInfo.InvariantCulture, $"<section>\n<h2>{key.Port}/{key.Protocol} on {HtmlEncode(key.Network)} ({key.Family})</h2>\n");
        page.Append("<table>\n<thead><tr><th>from \\ to</th>");
        foreach (var pod in pods)
        {
            page.Append("<th>").Append(HtmlEncode(pod)).Append("</th>");
        }

        page.Append("</tr></thead>\n<tbody>\n");
        foreach (var from in pods)
        {
            page.Append("<tr><th>").Append(HtmlEncode(from)).Append("</th>");
            foreach (var to in pods)
            {
                if (byPair.TryGetValue((from, to), out var cell))
                {
                    AppendCell(page, cell, allowedWord, deniedWord);
                }
                else
                {
                    page.Append("<td class=\"none\">-</td>");
                }
            }

            page.Append("</tr>\n");
        }

        page.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void AppendCell(StringBuilder page, MatrixCell cell, string allowedWord, string deniedWord)
    {
        var verdict = cell.Allowed ? allowedWord : deniedWord;
        var mismatch = cell.Expected is { } expected && expected != cell.Allowed;
        page.Append("<td class=\"").Append(cell.Allowed ? "allowed" : "denied").Append(mismatch ? " mismatch" : string.Empty).Append('"')
            .Append(" data-from=\"").Append(HtmlEncode(cell.From)).Append('"')
            .Append(" data-to=\"").Append(HtmlEncode(cell.To)).Append('"')
            .Append(" data-network=\"").Append(HtmlEncode(cell.Network)).Append('"')
            .Append(" data-address=\"").Append(HtmlEncode(cell.Address)).Append('"')
            .Append(CultureInfo.InvariantCulture, $" data-port=\"{cell.Port}\" data-protocol=\"{cell.Protocol}\" data-verdict=\"{verdict}\"")
            .Append(" title=\"").Append(HtmlEncode(cell.Trace)).Append("\">")
            .Append("<b>").Append(verdict).Append("</b>");
        if (mismatch)
        {
            page.Append("<small>the policies imply ").Append(cell.Expected == true ? allowedWord : deniedWord).Append("</small>");
        }

        foreach (var line in cell.Why)
        {
            page.Append("<small>").Append(HtmlEncode(line)).Append("</small>");
        }

        page.Append("</td>");
    }

    private static string FamilyOf(string address) =>
        IPAddress.TryParse(address, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
