using System.Text.Json;
using System.Text.Json.Nodes;
using Mnp.Agent.Manifests;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Tests.Support.Agent;
using Mnp.Tests.Privileged.Lab;
using Mnp.Tests.Privileged.Lab.Verbs;
using Xunit.Abstractions;

namespace Mnp.Tests.Privileged.Agent;

/// <summary>
/// The real <c>mnp agent</c> process, <c>--kubeconfig</c> pointing at an in-process API server and <c>--lab</c> over a
/// <c>--no-rules</c> lab: every change made in the API (policies, labels, pods) shows in real lab probes that agree with
/// the evaluator reading the API's objects, within a bounded wait; API faults (dropped watches, 410, a 10 s outage)
/// leave the kernel rules as they are and converge after; <c>kill -9</c> leaves the rules enforced and a restart
/// converges; SIGTERM exits 0 with the rules in place. The lab never programs rules (<c>up</c>, <c>apply</c> and
/// <c>delete</c> of a <c>--no-rules</c> lab): every rule in it is the agent's.
/// </summary>
public sealed class AgentLabTests(ITestOutputHelper output)
{
    private static readonly string Cluster = MnpProcess.Repository("examples", "lab", "00-cluster.yaml");
    private static readonly string Policies = MnpProcess.Repository("examples", "lab", "10-policies.yaml");

    [LabFact]
    public async Task The_agent_keeps_a_lab_equal_to_the_API_through_changes_faults_and_restarts()
    {
        var lab = LabModel.UniqueLabName();
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"mnp-{lab}-kubeconfig");
        var extra = Path.Combine(Path.GetTempPath(), $"mnp-{lab}-replica.yaml");
        await using var api = await FakeKubeApiServer.StartAsync();
        AgentProcess? agent = null;
        try
        {
            var up = await MnpProcess.RunAsync("lab", "up", "--no-rules", "--lab", lab, "-f", Cluster);
            Assert.True(up.ExitCode == 0, up.ToString());
            foreach (var file in Directory.GetFiles($"/run/mnp/lab/{lab}/manifests", "*.json"))
            {
                api.Upsert((JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(file))!);
            }

            api.WriteKubeconfig(kubeconfig);
            agent = await StartAsync(lab, kubeconfig);
            var open = await ConvergeAsync(api, lab, "no policy yet");
            Assert.True(Probe(open, "web/frontend", "db/postgres", 5432).Connected);

            // Policy add: postgres takes only namespaces labelled team=api on net-a.
            ApplyFile(api, Policies);
            var governed = await ConvergeAsync(api, lab, "policies added");
            Assert.False(Probe(governed, "web/frontend", "db/postgres", 5432).Connected);
            Assert.True(Probe(governed, "api/server", "db/postgres", 5432).Connected);

            // Policy update: postgres now takes team=web instead.
            UpdatePolicyNamespaces(api, "team", "web");
            var updated = await ConvergeAsync(api, lab, "policy updated");
            Assert.False(Probe(updated, "api/server", "db/postgres", 5432).Connected);

            // Namespace label change: api becomes team=web, so the updated policy takes it again.
            Relabel(api, "Namespace", null, "api", "team", "web");
            var relabelledNs = await ConvergeAsync(api, lab, "namespace relabelled");
            Assert.True(Probe(relabelledNs, "api/server", "db/postgres", 5432).Connected);

            // Pod label change: api/server stops being app=api, so the policy guarding it lets batch in.
            Assert.False(Probe(relabelledNs, "api/batch", "api/server", 8080).Connected);
            Relabel(api, "Pod", "api", "server", "app", "renamed");
            var relabelledPod = await ConvergeAsync(api, lab, "pod relabelled");
            Assert.True(Probe(relabelledPod, "api/batch", "api/server", 8080).Connected);

            // Pod add and delete: a second postgres appears in the lab and in the API, then goes.
            await File.WriteAllTextAsync(extra, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: replica
                  namespace: db
                  labels: {app: postgres}
                  annotations: {k8s.v1.cni.cncf.io/networks: db/net-a}
                spec:
                  containers: [{name: pg, image: example, ports: [{name: pg, containerPort: 5432}]}]
                """);
            var added = await MnpProcess.RunAsync("lab", "apply", "--lab", lab, "-f", extra);
            Assert.True(added.ExitCode == 0, added.ToString());
            api.Upsert((JsonObject)JsonNode.Parse(await File.ReadAllTextAsync($"/run/mnp/lab/{lab}/manifests/Pod.db.replica.json"))!);
            var withReplica = await ConvergeAsync(api, lab, "pod added");
            Assert.False(Probe(withReplica, "web/frontend", "db/replica", 5432).Connected);
            var removed = await MnpProcess.RunAsync("lab", "delete", "--lab", lab, "-f", extra);
            Assert.True(removed.ExitCode == 0, removed.ToString());
            api.Delete("Pod", "db", "replica");
            await ConvergeAsync(api, lab, "pod deleted");

            // Policy delete: everything opens again.
            foreach (var name in new[] { "postgres-from-api", "server-from-web", "frontend-to-api" })
            {
                Assert.True(api.Delete("MultiNetworkPolicy", "db", name, "k8s.cni.cncf.io/v1beta1") || api.Delete("MultiNetworkPolicy", "api", name, "k8s.cni.cncf.io/v1beta1")
                    || api.Delete("MultiNetworkPolicy", "web", name, "k8s.cni.cncf.io/v1beta1"), name);
            }

            var reopened = await ConvergeAsync(api, lab, "policies deleted");
            Assert.True(Probe(reopened, "web/frontend", "db/postgres", 5432).Connected);
            ApplyFile(api, Policies);
            Relabel(api, "Namespace", null, "api", "team", "api");
            Relabel(api, "Pod", "api", "server", "app", "api");
            await ConvergeAsync(api, lab, "policies back");

            // Faults: a dropped watch, then 410 Gone.
            api.DropWatches();
            UpdatePolicyNamespaces(api, "team", "web");
            await ConvergeAsync(api, lab, "after a dropped watch");
            api.Expire();
            UpdatePolicyNamespaces(api, "team", "api");
            await ConvergeAsync(api, lab, "after 410 Gone");

            // A 10 s outage: the rules stay exactly as they are, then a change made after it is applied.
            var postgres = $"mnplab-{lab}-db-postgres";
            var before = await Sh.SaveAsync(postgres, Mnp.Policy.Netfilter.IpFamily.V4);
            api.SetUnavailable(true);
            await Task.Delay(TimeSpan.FromSeconds(10));
            Assert.Equal(before, await Sh.SaveAsync(postgres, Mnp.Policy.Netfilter.IpFamily.V4));
            Assert.Equal(200, await agent.StatusAsync("/healthz"));
            api.SetUnavailable(false);
            UpdatePolicyNamespaces(api, "team", "web");
            await ConvergeAsync(api, lab, "after the outage");

            // kill -9: the rules stay enforced while it is down; a change made meanwhile is applied after the restart.
            var held = await Sh.SaveAsync(postgres, Mnp.Policy.Netfilter.IpFamily.V4);
            await agent.KillAsync();
            Assert.Equal(held, await Sh.SaveAsync(postgres, Mnp.Policy.Netfilter.IpFamily.V4));
            UpdatePolicyNamespaces(api, "team", "api");
            await agent.DisposeAsync();
            agent = await StartAsync(lab, kubeconfig);
            var restarted = await ConvergeAsync(api, lab, "after kill -9 and restart");
            Assert.True(Probe(restarted, "api/server", "db/postgres", 5432).Connected);

            // SIGTERM: exit 0, every rule left in place.
            var final = await Sh.SaveAsync(postgres, Mnp.Policy.Netfilter.IpFamily.V4);
            Assert.Equal(0, await agent.TerminateAsync());
            Assert.Equal(final, await Sh.SaveAsync(postgres, Mnp.Policy.Netfilter.IpFamily.V4));
            Assert.Contains("MNP-", final, StringComparison.Ordinal);
        }
        finally
        {
            if (agent is not null)
            {
                output.WriteLine(agent.Log.Length > 20000 ? agent.Log[^20000..] : agent.Log);
                await agent.DisposeAsync();
            }

            await MnpProcess.RunAsync("lab", "down", "--lab", lab);
            File.Delete(kubeconfig);
            File.Delete(extra);
        }
    }

    private static async Task<AgentProcess> StartAsync(string lab, string kubeconfig)
    {
        var agent = AgentProcess.Start("--kubeconfig", kubeconfig, "--lab", lab, "--sync-period", "5s");
        await Eventually.TrueAsync(() => agent.HasExited || agent.StatusAsync("/readyz").GetAwaiter().GetResult() == 200, "agent ready", 30000);
        Assert.False(agent.HasExited, agent.Log);
        return agent;
    }

    /// <summary>Probes until every probe agrees with the evaluator reading the API's objects (bounded wait).</summary>
    private async Task<List<ProbeRow>> ConvergeAsync(FakeKubeApiServer api, string lab, string step)
    {
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (true)
        {
            var rows = await LabCliTests.ProbeJsonAsync(lab);
            var disagreements = LabCliTests.Disagreements(Snapshot(api), rows);
            if (disagreements.Count == 0)
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} converged: {step}");
                return rows;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{step}: not converged:\n{string.Join('\n', disagreements)}");
            await Task.Delay(500);
        }
    }

    private static ClusterSnapshot Snapshot(FakeKubeApiServer api)
    {
        var objects = api.AllObjects().Select(o =>
        {
            var metadata = o["metadata"]!;
            using var document = JsonDocument.Parse(o.ToJsonString());
            return new ManifestObject(o["apiVersion"]!.GetValue<string>(), o["kind"]!.GetValue<string>(), metadata["namespace"]?.GetValue<string>(),
                metadata["name"]!.GetValue<string>(), document.RootElement.Clone(), "api", 0);
        });
        return ClusterSnapshotBuilder.FromManifests(objects);
    }

    private static void ApplyFile(FakeKubeApiServer api, string path)
    {
        foreach (var obj in ManifestLoader.Load([path]).Objects)
        {
            api.Upsert((JsonObject)JsonNode.Parse(obj.Json.GetRawText())!);
        }
    }

    private static void UpdatePolicyNamespaces(FakeKubeApiServer api, string key, string value)
    {
        var policy = api.AllObjects().Single(o => o["kind"]!.GetValue<string>() == "MultiNetworkPolicy" && o["metadata"]!["name"]!.GetValue<string>() == "postgres-from-api");
        policy["spec"]!["ingress"]![0]!["from"]![0]!["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [key] = value } };
        api.Upsert(policy);
    }

    private static void Relabel(FakeKubeApiServer api, string kind, string? ns, string name, string key, string value)
    {
        var obj = api.AllObjects().Single(o => o["kind"]!.GetValue<string>() == kind && o["metadata"]!["name"]!.GetValue<string>() == name
            && o["metadata"]!["namespace"]?.GetValue<string>() == ns);
        var labels = obj["metadata"]!["labels"] as JsonObject ?? [];
        labels[key] = value;
        obj["metadata"]!["labels"] = labels.DeepClone();
        api.Upsert(obj);
    }

    private static ProbeRow Probe(List<ProbeRow> rows, string from, string to, int port) =>
        rows.First(r => r.From == from && r.To == to && r.Network == "db/net-a" && r.Port == port && r.Protocol == "TCP");
}
