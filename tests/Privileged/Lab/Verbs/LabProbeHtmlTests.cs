using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mnp.Tests.Privileged.Lab.Verbs;

/// <summary><c>mnp lab probe -o html</c> on a real lab: one cell per probe of <c>-o json</c>, each explained by the trace.</summary>
public sealed partial class LabProbeHtmlTests
{
    [LabFact]
    public async Task Html_has_one_cell_per_probe_with_the_observation_and_no_disagreement_with_the_policies()
    {
        var lab = LabModel.UniqueLabName();
        try
        {
            var up = await MnpProcess.RunAsync("lab", "up", "--lab", lab, "-f", MnpProcess.Repository("examples", "lab", "00-cluster.yaml"), "-f", MnpProcess.Repository("examples", "lab", "10-policies.yaml"));
            Assert.True(up.ExitCode == 0, up.ToString());

            var json = await MnpProcess.RunAsync("lab", "probe", "--lab", lab, "-o", "json");
            var html = await MnpProcess.RunAsync("lab", "probe", "--lab", lab, "-o", "html");
            Assert.True(json.ExitCode == 0, json.ToString());
            Assert.True(html.ExitCode == 0, html.ToString());

            var cells = Cell().Matches(html.Output).ToDictionary(
                m => $"{Decode(m.Groups["from"])}>{Decode(m.Groups["to"])} {Decode(m.Groups["network"])} {m.Groups["address"].Value} {m.Groups["port"].Value}/{m.Groups["protocol"].Value}",
                m => (Class: m.Groups["class"].Value, Verdict: m.Groups["verdict"].Value, Why: m.Groups["why"].Value));
            using var probes = JsonDocument.Parse(json.Output);
            var expected = probes.RootElement.GetProperty("probes").EnumerateArray().ToList();
            Assert.Equal(expected.Count, cells.Count);
            foreach (var probe in expected)
            {
                var key = $"{probe.GetProperty("from").GetString()}>{probe.GetProperty("to").GetString()} {probe.GetProperty("network").GetString()} {probe.GetProperty("address").GetString()} {probe.GetProperty("port").GetInt32()}/{probe.GetProperty("protocol").GetString()}";
                var connected = probe.GetProperty("connected").GetBoolean();
                Assert.True(cells.TryGetValue(key, out var cell), $"no cell for {key}");
                Assert.Equal(connected ? "connected" : "blocked", cell.Verdict);
                Assert.Equal(connected ? "allowed" : "denied", cell.Class);
            }

            var blocked = cells.Single(c => c.Key.StartsWith("web/frontend>db/postgres db/net-a ", StringComparison.Ordinal) && c.Key.EndsWith(" 5432/TCP", StringComparison.Ordinal)).Value;
            Assert.Contains("egress: isolated by web/frontend-to-api; no rule allows it", blocked.Why, StringComparison.Ordinal);
        }
        finally
        {
            await MnpProcess.RunAsync("lab", "down", "--lab", lab);
        }
    }

    private static string Decode(Group group) => WebUtility.HtmlDecode(group.Value);

    [GeneratedRegex("""<td class="(?<class>allowed|denied)( mismatch)?" data-from="(?<from>[^"]*)" data-to="(?<to>[^"]*)" data-network="(?<network>[^"]*)" data-address="(?<address>[^"]*)" data-port="(?<port>[0-9]+)" data-protocol="(?<protocol>[A-Z]+)" data-verdict="(?<verdict>[a-z]+)" title="[^"]*"><b>[a-z]+</b>(?<why>.*?)</td>""", RegexOptions.Singleline)]
    private static partial Regex Cell();
}
