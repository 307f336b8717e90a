using System.Text.Json;
using Mnp.Agent.Lab;
using Mnp.Agent.Operations;
using Mnp.Native.Nftables;
using Mnp.Tests.Privileged.Lab;
using Mnp.Tests.Privileged.Lab.Verbs;

namespace Mnp.Tests.Privileged.Operations;

/// <summary>
/// <c>mnp inspect --diff</c> and <c>mnp cleanup</c> on a lab, one test per backend: clean after the rules are committed;
/// every rule changed, added or deleted by hand (with iptables-legacy or nft, the operator's tools) is named and the
/// exit is 4; cleanup refuses while an agent holds the lab, then leaves no trace of ours and every foreign rule and table.
/// </summary>
public sealed class InspectLabTests
{
    private static readonly string Examples = MnpProcess.Repository("examples", "lab");

    [LabFact]
    public async Task Iptables_drift_is_named_rule_by_rule_and_cleanup_keeps_every_foreign_rule()
    {
        var lab = LabModel.UniqueLabName();
        var netns = $"mnplab-{lab}-db-postgres";
        try
        {
            var up = await MnpProcess.RunAsync("lab", "up", "--lab", lab, "-f", Examples);
            Assert.True(up.ExitCode == 0, up.ToString());

            var clean = await InspectAsync(lab, 0);
            var postgres = Pod(clean, "db/postgres");
            Assert.Equal("iptables", postgres.GetProperty("compared").GetString());
            Assert.Empty(postgres.GetProperty("differences").EnumerateArray());
            var annotated = Rules(postgres, "iptables").Where(r => r.TryGetProperty("policy", out _)).ToList();
            Assert.Contains(annotated, r => r.GetProperty("policy").GetString() == "db/postgres-from-api" && r.GetProperty("rule").GetInt32() == 0);
            // Rules of a chain made for one policy rule (its peers) carry that rule's origin too.
            Assert.Contains(annotated, r => r.GetProperty("location").GetString() == "IPv4 filter/MNP-IN-net1/1" && r.GetProperty("text").GetString()!.Contains("10.10.0.10/32", StringComparison.Ordinal));

            // Behind mnp's back: one peer rule deleted, the other changed, an accept appended, a chain of ours added,
            // and a foreign rule put in front of our IPv6 jump.
            await Sh.IptablesAsync(netns, IpFamily.V4, "-D", "MNP-IN-net1/1", "2");
            await Sh.IptablesAsync(netns, IpFamily.V4, "-R", "MNP-IN-net1/1", "1", "-s", "10.10.0.99/32", "-p", "tcp", "--dport", "5432", "-j", "ACCEPT");
            await Sh.IptablesAsync(netns, IpFamily.V4, "-A", "MNP-IN-net1", "-j", "ACCEPT");
            await Sh.IptablesAsync(netns, IpFamily.V4, "-N", "MNP-EXTRA");
            await Sh.IptablesAsync(netns, IpFamily.V6, "-I", "INPUT", "1", "-j", "ACCEPT");

            var drifted = Pod(await InspectAsync(lab, InspectCommandExitDifference), "db/postgres");
            var named = Differences(drifted);
            Assert.Equal(
                new (string, string, int?)[]
                {
                    ("unexpected-container", "IPv4 filter/MNP-EXTRA", null),
                    ("unexpected", "IPv4 filter/MNP-IN-net1", 3),
                    ("changed", "IPv4 filter/MNP-IN-net1/1", 0),
                    ("missing", "IPv4 filter/MNP-IN-net1/1", 1),
                    ("missing", "IPv6 filter/INPUT", 0),
                    ("anomaly", "IPv6 filter/INPUT rule 1", null),
                }.Order(),
                named.Select(d => (d.Kind, d.Location, d.Index)).Order());
            Assert.Contains(named, d => d.Kind == "changed" && d.Text.Contains("found \"-s 10.10.0.99/32", StringComparison.Ordinal) && d.Text.Contains("(db/postgres-from-api ingress[0])", StringComparison.Ordinal));
            // The other pods are untouched and said so.
            Assert.Empty(Pod(await InspectAsync(lab, InspectCommandExitDifference), "api/server").GetProperty("differences").EnumerateArray());

            var text = await MnpProcess.RunAsync("inspect", "--lab", lab, "db/postgres", "--diff");
            Assert.Equal(InspectCommandExitDifference, text.ExitCode);
            Assert.Contains("iptables IPv4 filter/MNP-IN-net1 rule 3 unexpected: \"-j ACCEPT\"\n", text.Output, StringComparison.Ordinal);

            // Foreign rules and tables the cleanup must keep.
            await Sh.IptablesAsync(netns, IpFamily.V4, "-N", "FOREIGN");
            await Sh.IptablesAsync(netns, IpFamily.V4, "-A", "INPUT", "-j", "FOREIGN");
            await Sh.IptablesAsync(netns, IpFamily.V4, "-A", "FOREIGN", "-s", "192.0.2.1/32", "-j", "DROP");
            await Sh.InNetnsAsync(netns, "nft", "add", "table", "ip", "foreign");
            await AssertCleanupAsync(lab, netns);

            Assert.Equal(
                "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:FOREIGN - [0:0]\n-A INPUT -j FOREIGN\n-A FOREIGN -s 192.0.2.1/32 -j DROP\nCOMMIT",
                NoCounters(await Sh.SaveAsync(netns, IpFamily.V4)));
            Assert.Equal("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT", NoCounters(await Sh.SaveAsync(netns, IpFamily.V6)));
            Assert.Equal("table ip foreign {\n}\n", await Sh.InNetnsAsync(netns, "nft", "list", "ruleset"));
            foreach (var pod in new[] { "api/server", "web/frontend" })
            {
                var other = $"mnplab-{lab}-{pod.Replace('/', '-')}";
                Assert.DoesNotContain("MNP-", await Sh.SaveAsync(other, IpFamily.V4), StringComparison.Ordinal);
                Assert.DoesNotContain("MNP-", await Sh.SaveAsync(other, IpFamily.V6), StringComparison.Ordinal);
            }

            // After cleanup every pod lacks what the engine computes: drift again, until the lab reconciles.
            Assert.NotEmpty(Differences(Pod(await InspectAsync(lab, InspectCommandExitDifference), "db/postgres")));
        }
        finally
        {
            await MnpProcess.RunAsync("lab", "down", "--lab", lab);
        }
    }

    [LabFact]
    public async Task Nftables_drift_is_named_and_cleanup_removes_only_our_table()
    {
        var lab = LabModel.UniqueLabName();
        var netns = $"mnplab-{lab}-db-postgres";
        try
        {
            var up = await MnpProcess.RunAsync("lab", "up", "--no-rules", "--lab", lab, "-f", Examples);
            Assert.True(up.ExitCode == 0, up.ToString());
            await ProgramWithNftablesAsync(lab);

            var clean = Pod(await InspectAsync(lab, 0), "db/postgres");
            Assert.Equal("nftables", clean.GetProperty("compared").GetString());
            Assert.Contains(Rules(clean, "nftables"), r => r.TryGetProperty("policy", out var p) && p.GetString() == "db/postgres-from-api");

            var handles = await Sh.InNetnsAsync(netns, "nft", "-a", "list", "chain", "inet", "mnp", "ingress-net1");
            var handle = handles.Split('\n').Single(l => l.Contains("db/postgres-from-api", StringComparison.Ordinal)).Split("# handle ")[1].Trim();
            await Sh.InNetnsAsync(netns, "nft", "delete", "rule", "inet", "mnp", "ingress-net1", "handle", handle);
            await Sh.InNetnsAsync(netns, "nft", "insert", "rule", "inet", "mnp", "ingress-net1", "accept");
            await Sh.InNetnsAsync(netns, "nft", "add", "element", "inet", "mnp", "ingress-net1-0-v4", "{ 10.99.0.1 }");
            // A legacy rule of ours in a pod the nftables backend owns: the backends must not both hold rules.
            await Sh.IptablesAsync(netns, IpFamily.V4, "-N", "MNP-STALE");

            var named = Differences(Pod(await InspectAsync(lab, InspectCommandExitDifference), "db/postgres"));
            Assert.Equal(
                new (string, string, int?)[]
                {
                    ("unexpected", "inet mnp/ingress-net1", 0),
                    ("missing", "inet mnp/ingress-net1", 1),
                    ("unexpected", "inet mnp/set ingress-net1-0-v4", 1),
                    ("unexpected-container", "IPv4 filter/MNP-STALE", null),
                }.Order(),
                named.Select(d => (d.Kind, d.Location, d.Index)).Order());
            Assert.Contains(named, d => d.Kind == "missing" && d.Text.Contains("(db/postgres-from-api ingress[0])", StringComparison.Ordinal));

            await Sh.InNetnsAsync(netns, "nft", "add", "table", "inet", "foreign");
            await Sh.InNetnsAsync(netns, "nft", "add", "chain", "inet", "foreign", "in", "{ type filter hook input priority 10; }");
            await Sh.InNetnsAsync(netns, "nft", "add", "rule", "inet", "foreign", "in", "ip", "saddr", "192.0.2.1", "drop");
            await AssertCleanupAsync(lab, netns);

            Assert.Equal(
                "table inet foreign {\n\tchain in {\n\t\ttype filter hook input priority filter + 10; policy accept;\n\t\tip saddr 192.0.2.1 drop\n\t}\n}\n",
                await Sh.InNetnsAsync(netns, "nft", "list", "ruleset"));
            Assert.DoesNotContain("MNP-", await Sh.SaveAsync(netns, IpFamily.V4), StringComparison.Ordinal);
            Assert.Equal(string.Empty, await Sh.InNetnsAsync($"mnplab-{lab}-api-server", "nft", "list", "ruleset"));
        }
        finally
        {
            await MnpProcess.RunAsync("lab", "down", "--lab", lab);
        }
    }

    [LabFact]
    public async Task A_lab_on_the_nftables_backend_is_compared_with_that_backend_and_a_legacy_chain_of_ours_is_drift()
    {
        var lab = LabModel.UniqueLabName();
        try
        {
            var up = await MnpProcess.RunAsync("lab", "up", "--backend", "nftables", "--lab", lab, "-f", Examples);
            Assert.True(up.ExitCode == 0, up.ToString());

            var clean = await InspectAsync(lab, 0);
            Assert.All(clean.GetProperty("pods").EnumerateArray(), p => Assert.Equal("nftables", p.GetProperty("compared").GetString()));

            await Sh.IptablesAsync($"mnplab-{lab}-web-frontend", IpFamily.V6, "-N", "MNP-LEFTOVER");
            var named = Differences(Pod(await InspectAsync(lab, InspectCommandExitDifference), "web/frontend"));
            var leftover = Assert.Single(named);
            Assert.Equal(("unexpected-container", "IPv6 filter/MNP-LEFTOVER"), (leftover.Kind, leftover.Location));
        }
        finally
        {
            await MnpProcess.RunAsync("lab", "down", "--lab", lab);
        }
    }

    private const int InspectCommandExitDifference = 4;

    private static string NoCounters(string save) => System.Text.RegularExpressions.Regex.Replace(save, @"\[\d+:\d+\]", "[0:0]");

    /// <summary>Cleanup refuses while the lab's agent lock is held, then (agent gone) removes everything of ours.</summary>
    private static async Task AssertCleanupAsync(string lab, string netns)
    {
        using (AgentPresence.Acquire(AgentPresence.PathFor(lab, string.Empty)))
        {
            var refused = await MnpProcess.RunAsync("cleanup", "--lab", lab);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Equal($"mnp: cleanup: an mnp agent runs on this lab ({lab}) (it holds {AgentPresence.PathFor(lab, string.Empty)}) and would program the rules again; stop it first, or pass --force", Assert.Single(refused.ErrorLines));
            var still = await Sh.SaveAsync(netns, IpFamily.V4) + await Sh.InNetnsAsync(netns, "nft", "list", "tables");
            Assert.True(still.Contains("MNP-", StringComparison.Ordinal) || still.Contains("table inet mnp", StringComparison.Ordinal), still);
        }

        var cleaned = await MnpProcess.RunAsync("cleanup", "--lab", lab);
        Assert.True(cleaned.ExitCode == 0, cleaned.ToString());
        Assert.Contains("db/postgres: removed ", cleaned.Output, StringComparison.Ordinal);
        Assert.Contains("4 pod namespace(s) visited, 4 clean\n", cleaned.Output, StringComparison.Ordinal);
        var again = await MnpProcess.RunAsync("cleanup", "--lab", lab);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("db/postgres: nothing of ours\n", again.Output, StringComparison.Ordinal);
    }

    /// <summary>Commits every lab pod's rules with the nftables backend, as an agent with --backend nftables would.</summary>
    private static async Task ProgramWithNftablesAsync(string lab)
    {
        var targets = new LabTargets(new LabStore(), new NamedNetns(), lab);
        var options = targets.Options(null);
        var pods = targets.Targets([]);
        var expected = EngineExpectation.For(targets.Snapshot(), pods.Select(p => p.Pod), options, FirewallBackendKind.Nftables);
        using var executor = new NetnsExecutor();
        var backend = new NftablesBackend(executor);
        foreach (var pod in pods)
        {
            await backend.ApplyAsync(pod.Netns, expected[pod.Pod].Rules, options, CancellationToken.None);
        }
    }

    private static async Task<JsonElement> InspectAsync(string lab, int exitCode)
    {
        var run = await MnpProcess.RunAsync("inspect", "--lab", lab, "--all", "--diff", "-o", "json");
        Assert.True(run.ExitCode == exitCode, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        return json.RootElement.Clone();
    }

    private static JsonElement Pod(JsonElement inspection, string key) =>
        inspection.GetProperty("pods").EnumerateArray().Single(p => p.GetProperty("pod").GetString() == key);

    private static IEnumerable<JsonElement> Rules(JsonElement pod, string backend) =>
        pod.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("backend").GetString() == backend).GetProperty("rules").EnumerateArray();

    private static List<(string Kind, string Location, int? Index, string Text)> Differences(JsonElement pod) =>
        [.. pod.GetProperty("differences").EnumerateArray().Select(d => (
            d.GetProperty("kind").GetString()!,
            d.GetProperty("location").GetString()!,
            d.TryGetProperty("index", out var i) ? i.GetInt32() : (int?)null,
            d.GetProperty("text").GetString()!))];
}
