using System.Net.Sockets;
using System.Text.Json;
using Mnp.Agent.Manifests;
using Mnp.Policy.Cluster;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;
using Xunit.Abstractions;

namespace Mnp.Tests.Privileged.Lab.Verbs;

/// <summary>
/// <c>mnp lab</c> through the real executable, on the demo manifests in examples/lab: each test has its own lab name
/// and always runs <c>down</c> in finally. Probes are judged against the evaluator reading the lab's own
/// <c>manifests/</c> folder, which therefore has to show what the pods hold.
/// </summary>
public sealed class LabCliTests(ITestOutputHelper output)
{
    private static readonly string Cluster = MnpProcess.Repository("examples", "lab", "00-cluster.yaml");
    private static readonly string Policies = MnpProcess.Repository("examples", "lab", "10-policies.yaml");

    [LabTheory]
    [InlineData(null)]
    [InlineData("iptables")]
    [InlineData("nftables")]
    public async Task Up_probe_apply_probe_delete_and_down_twice_on_the_examples(string? backend)
    {
        var lab = LabModel.UniqueLabName();
        try
        {
            string[] choice = backend is null ? [] : ["--backend", backend];
            var up = await MnpProcess.RunAsync(["lab", "up", "--lab", lab, "-f", Cluster, .. choice]);
            Assert.True(up.ExitCode == 0, up.ToString());
            Assert.Contains("4 pods, 2 networks", up.Output, StringComparison.Ordinal);
            Assert.Contains($"mnplab-{lab}-db-postgres", await HostTools.NetnsNamesAsync());

            var open = await ProbeJsonAsync(lab);
            Assert.All(open, p => Assert.True(p.Connected, $"{p} before any policy"));
            AssertAgreesWithManifests(lab, open);

            var apply = await MnpProcess.RunAsync("lab", "apply", "--lab", lab, "-f", Policies);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            Assert.Contains($"{backend ?? "iptables"} rules committed in 3 of 4 pods", apply.Output, StringComparison.Ordinal);
            await AssertHeldByAsync(lab, backend ?? "iptables");
            var governed = await ProbeJsonAsync(lab);
            Assert.False(Find(governed, "web/frontend", "db/postgres", "db/net-a", 5432).Connected);
            Assert.True(Find(governed, "web/frontend", "db/postgres", "db/net-b", 5432).Connected);
            Assert.True(Find(governed, "api/server", "db/postgres", "db/net-a", 5432).Connected);
            Assert.False(Find(governed, "api/batch", "api/server", "db/net-a", 8080).Connected);
            AssertAgreesWithManifests(lab, governed);

            var table = await MnpProcess.RunAsync("lab", "probe", "--lab", lab, "--to", "db/postgres", "--timeout", "1000");
            Assert.True(table.ExitCode == 0, table.ToString());
            Assert.Contains("5432/TCP db/net-a IPv4", table.Output, StringComparison.Ordinal);
            Assert.Contains(" X ", table.Output, StringComparison.Ordinal);

            var render = await MnpProcess.RunAsync("render", "-f", $"/run/mnp/lab/{lab}/manifests", "--pod", "db/postgres", "--family", "ipv4");
            Assert.True(render.ExitCode == 0, render.ToString());
            Assert.Contains("--dport 5432 -j ACCEPT", render.Output, StringComparison.Ordinal);

            var delete = await MnpProcess.RunAsync("lab", "delete", "--lab", lab, "-f", Policies);
            Assert.True(delete.ExitCode == 0, delete.ToString());
            Assert.All(await ProbeJsonAsync(lab), p => Assert.True(p.Connected, $"{p} after the policies were deleted"));
        }
        finally
        {
            await DownTwiceAsync(lab);
        }
    }

    [LabFact]
    public async Task Up_takes_policies_and_apply_and_delete_change_pods_and_namespaces()
    {
        var lab = LabModel.UniqueLabName();
        var extra = Path.Combine(Path.GetTempPath(), $"mnp-{lab}-extra.yaml");
        var api = Path.Combine(Path.GetTempPath(), $"mnp-{lab}-api.yaml");
        try
        {
            var up = await MnpProcess.RunAsync("lab", "up", "--lab", lab, "-f", MnpProcess.Repository("examples", "lab"));
            Assert.True(up.ExitCode == 0, up.ToString());
            Assert.False(Find(await ProbeJsonAsync(lab), "web/frontend", "db/postgres", "db/net-a", 5432).Connected);

            // A new pod in db labelled like postgres: the policy selects it at once; the relabelled one does not.
            await File.WriteAllTextAsync(extra, """
                apiVersion: v1
                kind: Pod
                metadata: {name: replica, namespace: db, labels: {app: postgres}, annotations: {k8s.v1.cni.cncf.io/networks: net-a}}
                spec: {containers: [{name: pg, image: example, ports: [{name: pg, containerPort: 5432}]}]}
                """);
            var apply = await MnpProcess.RunAsync("lab", "apply", "--lab", lab, "-f", extra);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            Assert.Contains("5 pods", apply.Output, StringComparison.Ordinal);
            var withReplica = await ProbeJsonAsync(lab);
            Assert.False(Find(withReplica, "web/frontend", "db/replica", "db/net-a", 5432).Connected);
            Assert.True(Find(withReplica, "api/server", "db/replica", "db/net-a", 5432).Connected);
            Assert.False(Find(withReplica, "db/postgres", "db/replica", "db/net-a", 5432).Connected);
            AssertAgreesWithManifests(lab, withReplica);

            await File.WriteAllTextAsync(extra, (await File.ReadAllTextAsync(extra)).Replace("app: postgres", "app: other", StringComparison.Ordinal));
            Assert.Equal(0, (await MnpProcess.RunAsync("lab", "apply", "--lab", lab, "-f", extra)).ExitCode);
            var relabelled = await ProbeJsonAsync(lab);
            Assert.True(Find(relabelled, "db/postgres", "db/replica", "db/net-a", 5432).Connected);
            AssertAgreesWithManifests(lab, relabelled);

            // Deleting a Pod removes its network namespace.
            var deletePod = await MnpProcess.RunAsync("lab", "delete", "--lab", lab, "-f", extra);
            Assert.True(deletePod.ExitCode == 0, deletePod.ToString());
            Assert.DoesNotContain($"mnplab-{lab}-db-replica", await HostTools.NetnsNamesAsync());

            // Deleting a Namespace takes its pods (and their network namespaces) with it.
            await File.WriteAllTextAsync(api, "apiVersion: v1\nkind: Namespace\nmetadata: {name: api}\n");
            var delete = await MnpProcess.RunAsync("lab", "delete", "--lab", lab, "-f", api);
            Assert.True(delete.ExitCode == 0, delete.ToString());
            Assert.Contains("2 pods", delete.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(await HostTools.NetnsNamesAsync(), n => n.StartsWith($"mnplab-{lab}-api-", StringComparison.Ordinal));
            Assert.DoesNotContain(Directory.EnumerateFiles($"/run/mnp/lab/{lab}/manifests"), f => Path.GetFileName(f).Contains(".api.", StringComparison.Ordinal));
            var rest = await ProbeJsonAsync(lab);
            Assert.DoesNotContain(rest, p => p.From.StartsWith("api/", StringComparison.Ordinal) || p.To.StartsWith("api/", StringComparison.Ordinal));
            AssertAgreesWithManifests(lab, rest);
        }
        finally
        {
            File.Delete(extra);
            File.Delete(api);
            await DownTwiceAsync(lab);
        }
    }

    [LabFact]
    public async Task Policy_options_given_to_up_are_kept_by_apply_until_given_again()
    {
        var lab = LabModel.UniqueLabName();
        try
        {
            // macvlan not managed: the policies govern nothing.
            var up = await MnpProcess.RunAsync("lab", "up", "--lab", lab, "-f", Cluster, "--network-plugins", "ipvlan");
            Assert.True(up.ExitCode == 0, up.ToString());
            var apply = await MnpProcess.RunAsync("lab", "apply", "--lab", lab, "-f", Policies);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            Assert.Contains("(0 rules held)", apply.Output, StringComparison.Ordinal);
            Assert.True(Find(await ProbeJsonAsync(lab), "web/frontend", "db/postgres", "db/net-a", 5432).Connected);

            var managed = await MnpProcess.RunAsync("lab", "apply", "--lab", lab, "-f", Policies, "--network-plugins", "macvlan");
            Assert.True(managed.ExitCode == 0, managed.ToString());
            Assert.False(Find(await ProbeJsonAsync(lab), "web/frontend", "db/postgres", "db/net-a", 5432).Connected);
        }
        finally
        {
            await DownTwiceAsync(lab);
        }
    }

    [LabFact]
    public async Task Bad_input_is_one_line_and_creates_nothing()
    {
        var lab = LabModel.UniqueLabName();
        var bad = Path.Combine(Path.GetTempPath(), $"mnp-{lab}-bad.yaml");
        try
        {
            await File.WriteAllTextAsync(bad, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: x}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: a, namespace: x, annotations: {k8s.v1.cni.cncf.io/networks: x/missing}}
                spec: {containers: [{name: c, image: i}]}
                """);
            var up = await MnpProcess.RunAsync("lab", "up", "--lab", lab, "-f", bad);
            Assert.NotEqual(0, up.ExitCode);
            Assert.Single(up.ErrorLines);
            Assert.Contains("Pod x/a", up.Error, StringComparison.Ordinal);
            Assert.Contains("x/missing", up.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(await HostTools.NetnsNamesAsync(), n => n.StartsWith($"mnplab-{lab}-", StringComparison.Ordinal));

            var probe = await MnpProcess.RunAsync("lab", "probe", "--lab", lab);
            Assert.NotEqual(0, probe.ExitCode);
            Assert.Equal([$"mnp: lab {lab} is not up (mnp lab up --lab {lab} -f ...)"], probe.ErrorLines);
        }
        finally
        {
            File.Delete(bad);
            await DownTwiceAsync(lab);
        }
    }

    /// <summary>The recorded backend holds the postgres pod's rules, and the other holds nothing of ours there.</summary>
    private static async Task AssertHeldByAsync(string lab, string backend)
    {
        var netns = $"mnplab-{lab}-db-postgres";
        var nft = await HostTools.IpAsync("netns", "exec", netns, "nft", "list", "ruleset");
        var legacy = await HostTools.IpAsync("netns", "exec", netns, "iptables-legacy-save", "-t", "filter");
        Assert.Equal(backend == "nftables", nft.Contains("table inet mnp", StringComparison.Ordinal) && nft.Contains("dport 5432 accept", StringComparison.Ordinal));
        Assert.Equal(backend == "iptables", legacy.Contains("--dport 5432 -j ACCEPT", StringComparison.Ordinal));
    }

    private async Task DownTwiceAsync(string lab)
    {
        var first = await MnpProcess.RunAsync("lab", "down", "--lab", lab);
        var second = await MnpProcess.RunAsync("lab", "down", "--lab", lab);
        output.WriteLine(first.Output + second.Output);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("nothing to remove", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(await HostTools.NetnsNamesAsync(), n => n.StartsWith($"mnplab-{lab}-", StringComparison.Ordinal));
        Assert.False(Directory.Exists($"/run/mnp/lab/{lab}"));
    }

    /// <summary>Runs <c>probe -o json</c> and reads it, checking the JSON shape of docs/cli.md §5 on every entry.</summary>
    internal static async Task<List<ProbeRow>> ProbeJsonAsync(string lab)
    {
        var run = await MnpProcess.RunAsync("lab", "probe", "--lab", lab, "-o", "json", "--timeout", "1500");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var rows = new List<ProbeRow>();
        foreach (var probe in json.RootElement.GetProperty("probes").EnumerateArray())
        {
            rows.Add(new ProbeRow(
                probe.GetProperty("from").GetString()!,
                probe.GetProperty("to").GetString()!,
                probe.GetProperty("network").GetString()!,
                IPAddress.Parse(probe.GetProperty("address").GetString()!),
                probe.GetProperty("port").GetInt32(),
                probe.GetProperty("protocol").GetString()!,
                probe.GetProperty("connected").GetBoolean()));
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    /// <summary>Every probe observed what the evaluator decides on the lab's manifests folder (the cluster as the lab shows it).</summary>
    internal static void AssertAgreesWithManifests(string lab, List<ProbeRow> rows)
    {
        var snapshot = ClusterSnapshotBuilder.FromManifests(ManifestLoader.Load([$"/run/mnp/lab/{lab}/manifests"]).Objects);
        var disagreements = Disagreements(snapshot, rows);
        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements));
        Assert.Contains(rows, r => r.Address.AddressFamily == AddressFamily.InterNetworkV6);
    }

    /// <summary>The probes whose outcome the evaluator, reading <paramref name="snapshot"/>, decides otherwise.</summary>
    internal static List<string> Disagreements(ClusterSnapshot snapshot, List<ProbeRow> rows)
    {
        var evaluator = new PolicyEvaluator(snapshot, PolicyOptions.Default);
        var pods = snapshot.Pods.ToDictionary(p => p.Key, StringComparer.Ordinal);
        var disagreements = new List<string>();
        foreach (var row in rows)
        {
            NetworkRef.TryParse(row.Network, "", out var network);
            var source = pods[row.From].Interfaces.Single(i => i.Network == network).Addresses.First(a => a.AddressFamily == row.Address.AddressFamily);
            var protocol = row.Protocol == "UDP" ? Protocol.Udp : Protocol.Tcp;
            var allowed = evaluator.Decide(pods[row.From], source, pods[row.To], row.Address, network, row.Port, protocol).Allowed;
            if (allowed != row.Connected)
            {
                disagreements.Add($"{row}: evaluator {(allowed ? "allowed" : "denied")}");
            }
        }

        return disagreements;
    }

    private static ProbeRow Find(List<ProbeRow> rows, string from, string to, string network, int port) =>
        rows.Single(r => r.From == from && r.To == to && r.Network == network && r.Port == port && r.Protocol == "TCP");
}
