using System.Text.Json;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Delivery;

/// <summary>
/// <c>mnp matrix -o html</c> rendered in a real headless Chromium: one cell per flow of <c>-o json</c> for the
/// same input, coloured by its verdict, saying why as <c>mnp trace</c> explains it, with nothing fetched.
/// </summary>
public sealed class MatrixHtmlTests : IDisposable
{
    private const string Allowed = "rgb(200, 230, 201)";
    private const string Denied = "rgb(255, 205, 210)";

    private readonly string _dir = Directory.CreateTempSubdirectory("mnp-html-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Every_cell_matches_the_json_flow_its_colour_and_the_trace_explanation()
    {
        string[] input = ["-f", LabCluster, "--family", "all"];
        var html = await MnpCli.RunAsync(["matrix", .. input, "-o", "html"]);
        var json = await MnpCli.RunAsync(["matrix", .. input, "-o", "json"]);
        Assert.Equal(0, html.ExitCode);
        Assert.Equal(0, json.ExitCode);
        AssertSelfContained(html.Output);

        var cells = await RenderAsync(html.Output);

        using var flows = JsonDocument.Parse(json.Output);
        var expected = flows.RootElement.GetProperty("flows").EnumerateArray().ToList();
        Assert.True(expected.Count >= 20, $"only {expected.Count} flows");
        Assert.Contains(expected, f => f.GetProperty("verdict").GetString() == "allowed");
        Assert.Contains(expected, f => f.GetProperty("verdict").GetString() == "denied");
        Assert.Equal(expected.Count, cells.Count);
        foreach (var flow in expected)
        {
            var key = Key(flow, "from", "to", "network", "address", "port", "protocol");
            var cell = Assert.Single(cells, c => Key(c, "from", "to", "network", "address", "port", "protocol") == key);
            var verdict = flow.GetProperty("verdict").GetString();
            Assert.Equal(verdict, cell.GetProperty("verdict").GetString());
            Assert.Equal(verdict == "allowed" ? Allowed : Denied, cell.GetProperty("color").GetString());
        }

        // The explanations, for a sample of cells of both verdicts, against mnp trace for the same flow.
        foreach (var flow in expected.Where((_, i) => i % 7 == 0))
        {
            var cell = cells.Single(c => Key(c, "from", "to", "network", "address", "port", "protocol") == Key(flow, "from", "to", "network", "address", "port", "protocol"));
            string[] query = ["trace", "-f", LabCluster, "--from", Text(flow, "from"), "--to", Text(flow, "to"), "--network", Text(flow, "network"),
                "--port", Text(flow, "port"), "--protocol", Text(flow, "protocol"), "--family", Text(flow, "address").Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4"];
            var traceText = await MnpCli.RunAsync(query);
            var traceJson = await MnpCli.RunAsync([.. query, "-o", "json"]);
            Assert.Equal(traceText.Output.TrimEnd('\n'), cell.GetProperty("title").GetString()!.TrimEnd('\n'));
            using var trace = JsonDocument.Parse(traceJson.Output);
            var lines = cell.GetProperty("text").GetString()!.Split('\n').Select(l => l.Trim()).ToList();
            Assert.Equal(Text(flow, "verdict"), lines[0]);
            Assert.Equal([Explain("egress", trace.RootElement.GetProperty("egress")), Explain("ingress", trace.RootElement.GetProperty("ingress"))], lines[1..]);
        }
    }

    [Fact]
    public async Task Page_has_a_grid_per_network_family_port_and_protocol_and_a_screenshot_shows_it()
    {
        var html = await MnpCli.RunAsync("matrix", "-f", LabCluster, "--family", "all", "-o", "html");
        var path = Path.Combine(_dir, "matrix.html");
        await File.WriteAllTextAsync(path, html.Output);

        await using var chromium = await HeadlessChromium.StartAsync();
        await chromium.OpenAsync(path);
        var headings = await chromium.EvaluateAsync<string[]>("[...document.querySelectorAll('section h2')].map(h => h.textContent)");
        var png = await chromium.ScreenshotAsync();

        Assert.Equal(
            ["80/TCP on db/net-a (IPv4)", "5432/TCP on db/net-a (IPv4)", "8080/TCP on db/net-a (IPv4)", "80/TCP on db/net-b (IPv6)", "5432/TCP on db/net-b (IPv6)", "8080/TCP on db/net-b (IPv6)"],
            headings);
        Assert.Equal("mnp matrix", await chromium.EvaluateAsync<string>("document.title"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.True(png.Length > 20_000, $"a {png.Length}-byte screenshot is too small to show the page");
    }

    private static string LabCluster => Path.Combine(AppContext.BaseDirectory, "Delivery", "Fixtures", "lab-cluster");

    private static void AssertSelfContained(string html)
    {
        foreach (var external in new[] { "<script", "<link", "<img", "src=", "url(", "http://", "https://", "@import" })
        {
            Assert.DoesNotContain(external, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task<List<JsonElement>> RenderAsync(string html)
    {
        var path = Path.Combine(_dir, "matrix.html");
        await File.WriteAllTextAsync(path, html);
        await using var chromium = await HeadlessChromium.StartAsync();
        await chromium.OpenAsync(path);
        var cells = await chromium.EvaluateAsync<string>("""
            JSON.stringify([...document.querySelectorAll('td[data-verdict]')].map(td => ({
              from: td.dataset.from, to: td.dataset.to, network: td.dataset.network, address: td.dataset.address,
              port: Number(td.dataset.port), protocol: td.dataset.protocol, verdict: td.dataset.verdict,
              color: getComputedStyle(td).backgroundColor, text: td.innerText, title: td.title })))
            """);
        return [.. JsonDocument.Parse(cells).RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>What a cell must say for one direction, derived from <c>mnp trace -o json</c>.</summary>
    private static string Explain(string name, JsonElement direction)
    {
        if (!direction.GetProperty("isolated").GetBoolean())
        {
            return $"{name}: not isolated";
        }

        var allowedBy = direction.GetProperty("allowedBy").EnumerateArray().Select(m => $"{m.GetProperty("policy").GetString()} rule {m.GetProperty("rule").GetInt32()}").ToList();
        return allowedBy.Count == 0
            ? $"{name}: isolated by {string.Join(", ", direction.GetProperty("selectedBy").EnumerateArray().Select(p => p.GetString()))}; no rule allows it"
            : $"{name}: allowed by {string.Join(", ", allowedBy)}";
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).ToString();

    private static string Key(JsonElement e, params string[] names) => string.Join('|', names.Select(n => Text(e, n)));
}
