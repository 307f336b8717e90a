using Mnp.Agent.Operations;
using Mnp.Native.Nftables;
using Mnp.Policy.Compiler;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;
using Mnp.Tests.Privileged.Lab.Verbs;
using Mnp.Tests.Unit.Agent.Cri;

namespace Mnp.Tests.Privileged.Operations;

/// <summary>
/// inspect and cleanup on a node: the pods come from CRI (a fake runtime on a Unix socket naming real namespaces), the
/// objects --diff compares with from -f. The pod's rules are committed as the agent would; hand edits are named.
/// </summary>
public sealed class InspectCriTests : IAsyncLifetime
{
    private const string Cluster = """
        apiVersion: k8s.cni.cncf.io/v1
        kind: NetworkAttachmentDefinition
        metadata: {name: net1, namespace: x}
        spec:
          config: '{"cniVersion": "0.3.1", "type": "macvlan", "ipam": {"type": "static"}}'
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: a
          namespace: x
          uid: uid-a
          labels: {app: a}
          annotations:
            k8s.v1.cni.cncf.io/networks: net1
            k8s.v1.cni.cncf.io/network-status: '[{"name":"x/net1","interface":"net1","ips":["10.9.0.5"]}]'
        spec: {nodeName: node-1, containers: [{name: c, image: i}]}
        status: {phase: Running}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: b
          namespace: x
          uid: uid-b
          labels: {app: b}
          annotations:
            k8s.v1.cni.cncf.io/networks: net1
            k8s.v1.cni.cncf.io/network-status: '[{"name":"x/net1","interface":"net1","ips":["10.9.0.6"]}]'
        spec: {nodeName: node-2, containers: [{name: c, image: i}]}
        status: {phase: Running}
        ---
        apiVersion: k8s.cni.cncf.io/v1beta1
        kind: MultiNetworkPolicy
        metadata:
          name: from-b
          namespace: x
          annotations: {k8s.v1.cni.cncf.io/policy-for: x/net1}
        spec:
          podSelector: {matchLabels: {app: a}}
          policyTypes: [Ingress]
          ingress:
          - from: [{podSelector: {matchLabels: {app: b}}}]
        """;

    private readonly TempFiles _files = new("mnp-cri-inspect");
    private FakeCriRuntime _runtime = null!;
    private TestNetns _pod = null!;
    private NetnsExecutor _executor = null!;

    public async Task InitializeAsync()
    {
        _runtime = await FakeCriRuntime.StartAsync();
        _pod = await TestNetns.CreateAsync();
        _executor = new NetnsExecutor();
        var spec = """{"runtimeSpec":{"linux":{"namespaces":[{"type":"network","path":""" + $"\"{_pod.Ref.Path}\"" + "}]}}}";
        _runtime.AddSandbox("sandbox-a", "uid-a", 1, spec, pod: "x/a");
    }

    public async Task DisposeAsync()
    {
        _executor.Dispose();
        await _pod.DisposeAsync();
        await _runtime.DisposeAsync();
        _files.Dispose();
    }

    [PrivilegedTheory]
    [InlineData("iptables")]
    [InlineData("nftables")]
    public async Task A_node_pod_found_through_CRI_is_clean_after_commit_named_after_an_edit_and_cleaned(string backendName)
    {
        var manifests = _files.Write(Cluster);
        var snapshot = ClusterSnapshotBuilder.FromManifests(Mnp.Agent.Manifests.ManifestLoader.Load([manifests]).Objects);
        var pod = snapshot.Pods.Single(p => p.Key == "x/a");
        var rules = PolicyCompiler.CompilePod(snapshot, pod, PolicyOptions.Default);
        IFirewallBackend backend = backendName == "iptables" ? new IptablesBackend(_executor) : new NftablesBackend(_executor);
        await backend.ApplyAsync(_pod.Ref, rules, PolicyOptions.Default, CancellationToken.None);
        string[] node = ["--container-runtime-endpoint", _runtime.Socket];

        var clean = await MnpProcess.RunAsync(["inspect", "--all", "--diff", "-f", manifests, .. node]);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains($"# pod x/a (netns {_pod.Ref.Path})\n", clean.Output, StringComparison.Ordinal);
        Assert.Contains("<- x/from-b ingress[0]", clean.Output, StringComparison.Ordinal);
        Assert.EndsWith($"differences ({backendName} compared with the engine): none\n", clean.Output, StringComparison.Ordinal);

        if (backendName == "iptables")
        {
            await Sh.IptablesAsync(_pod.Name, IpFamily.V4, "-I", "MNP-IN-net1", "1", "-j", "ACCEPT");
        }
        else
        {
            await Sh.InNetnsAsync(_pod.Name, "nft", "insert", "rule", "inet", "mnp", "ingress-net1", "accept");
        }

        var drift = await MnpProcess.RunAsync(["inspect", "x/a", "--diff", "-f", manifests, .. node]);
        Assert.True(drift.ExitCode == 4, drift.ToString());
        Assert.Contains(backendName == "iptables"
            ? "  iptables IPv4 filter/MNP-IN-net1 rule 0 unexpected: \"-j ACCEPT\"\n"
            : "  nftables inet mnp/ingress-net1 rule 0 unexpected: \"accept\"\n", drift.Output, StringComparison.Ordinal);

        var unknown = await MnpProcess.RunAsync(["inspect", "x/b", .. node]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.StartsWith("mnp: pod x/b: no ready sandbox on this node in CRI", Assert.Single(unknown.ErrorLines), StringComparison.Ordinal);

        var cleaned = await MnpProcess.RunAsync(["cleanup", .. node]);
        Assert.True(cleaned.ExitCode == 0, cleaned.ToString());
        Assert.StartsWith("x/a: removed ", cleaned.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("MNP-", await Sh.SaveAsync(_pod.Name, IpFamily.V4), StringComparison.Ordinal);
        Assert.DoesNotContain("MNP-", await Sh.SaveAsync(_pod.Name, IpFamily.V6), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await Sh.InNetnsAsync(_pod.Name, "nft", "list", "ruleset"));
    }

    [PrivilegedFact]
    public async Task Cleanup_on_a_node_refuses_while_the_node_agent_holds_its_lock()
    {
        var prefix = Directory.CreateTempSubdirectory("mnp-prefix-").FullName;
        try
        {
            // The prefix stands for the host's root as the DaemonSet mounts it; the CRI socket is given as the host names it.
            var socket = Path.Combine(prefix, "cri.sock");
            File.CreateSymbolicLink(socket, _runtime.Socket);
            using (AgentPresence.Acquire(AgentPresence.PathFor(null, prefix)))
            {
                var refused = await MnpProcess.RunAsync("cleanup", "--host-prefix", prefix, "--container-runtime-endpoint", "/cri.sock");
                Assert.Equal(1, refused.ExitCode);
                Assert.Equal($"mnp: cleanup: an mnp agent runs on this node (it holds {prefix}/run/mnp/agent.lock) and would program the rules again; stop it first, or pass --force", Assert.Single(refused.ErrorLines));

                var forced = await MnpProcess.RunAsync("cleanup", "--force", "--host-prefix", prefix, "--container-runtime-endpoint", "/cri.sock");
                Assert.True(forced.ExitCode == 0, forced.ToString());
                Assert.Contains("cleaning anyway (--force)", forced.Error, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }
}
