using Mnp.Agent.Reconcile;
using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;

namespace Mnp.Tests.Privileged;

/// <summary>
/// A pod whose rules the real backend refuses is never left more open than before: the reconciler commits a
/// deny-all on its governed interfaces instead, and the kernel then holds exactly that (read back through the
/// seam and checked with iptables-legacy-save).
/// </summary>
public sealed class FailClosedTests : IDisposable
{
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    [PrivilegedFact]
    public async Task A_refused_model_on_a_fresh_pod_leaves_a_deny_all_on_its_governed_interface()
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new RefusingBackend(new IptablesBackend(_executor));
        var snapshot = new TestCluster()
            .Namespace("x")
            .Network("x", "net1")
            .Pod("x", "a", [("pod", "a")], [("net1", "net1", ["10.9.0.1"])])
            .Pod("x", "b", [("pod", "b")], [("net1", "net1", ["10.9.0.2"])])
            .Policy(Pol.Ingress("x", "allow-b", Sel.Labels(("pod", "a")), Pol.Rule([Pol.Pods(Sel.Labels(("pod", "b")))], [Pol.Tcp(80)])))
            .Build();
        var resolver = new OneNamespaceResolver(ns.Ref, "x/a");

        var report = await new RuleReconciler(backend, resolver, PolicyOptions.Default).ReconcileAsync(snapshot, TestCluster.Node, default);

        var failure = report.Pods.Single(p => p.Pod == "x/a").Failure!;
        Assert.Equal((PodSyncFailureReason.ModelRefused, FailClosedOutcome.DeniedAll), (failure.Reason, failure.FailClosed));
        Assert.Contains("70000:70000 is not a range within 0..65535", failure.Message, StringComparison.Ordinal);
        var dump = await backend.ReadAsync(ns.Ref, default);
        Assert.Empty(dump.Anomalies);
        Assert.Contains(dump.Rules, r => r.Location == "IPv4 filter/INPUT" && r.Interface == "net1");
        Assert.Contains(dump.Rules, r => r.Location == "IPv4 filter/OUTPUT" && r.Interface == "net1");
        Assert.DoesNotContain(dump.Rules, r => r.Origin is not null);
        var saved = await Sh.SaveAsync(ns.Name, IpFamily.V4);
        Assert.DoesNotContain("--dport", saved, StringComparison.Ordinal);
        Assert.Contains("-j DROP", saved, StringComparison.Ordinal);
    }

    /// <summary>The real backend, handed a model it must refuse (a port past 65535) whenever the pod's rules allow something.</summary>
    private sealed class RefusingBackend(IFirewallBackend inner) : IFirewallBackend
    {
        public FirewallBackendKind Kind => inner.Kind;

        public Task<BackendApplyResult> ApplyAsync(NetnsRef netns, PodRules? rules, PolicyOptions options, CancellationToken cancellationToken) =>
            inner.ApplyAsync(netns, rules is null ? null : Corrupt(rules), options, cancellationToken);

        public Task<OwnedRuleDump> ReadAsync(NetnsRef netns, CancellationToken cancellationToken) => inner.ReadAsync(netns, cancellationToken);

        private static PodRules Corrupt(PodRules rules) => rules with
        {
            Interfaces = [.. rules.Interfaces.Select(i => i with
            {
                Ingress = i.Ingress with { Allowances = [.. i.Ingress.Allowances.Select(a => a with { AnyPort = false, Ports = [new PortRange(Protocol.Tcp, 70000, 70000)] })] },
            })],
        };
    }
}
