using Mnp.Agent.Reconcile;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;
using Mnp.Tests.Unit.Support;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Mnp.Tests.Unit.Reconcile;

public sealed class RuleReconcilerTests
{
    private readonly IFirewallBackend _backend = Substitute.For<IFirewallBackend>();
    private readonly INetnsResolver _resolver = Substitute.For<INetnsResolver>();

    public RuleReconcilerTests()
    {
        _resolver.ResolveAsync(Arg.Any<PodInfo>(), Arg.Any<CancellationToken>())
            .Returns(call => ValueTask.FromResult(NetnsRef.Named("ns-" + call.Arg<PodInfo>().Name)));
        _backend.ApplyAsync(Arg.Any<NetnsRef>(), Arg.Any<NetfilterTable>(), Arg.Any<NetfilterTable>())
            .Returns(Task.FromResult(Result(ApplyOutcome.Committed)));
    }

    [Fact]
    public async Task Governed_pods_get_their_tables_and_ungoverned_local_pods_get_empty_ones()
    {
        var snapshot = Cluster().Policy(Pol.Ingress("x", "deny-a", Sel.Labels(("pod", "a")))).Build();

        var report = await new RuleReconciler(_backend, _resolver, PolicyOptions.Default).ReconcileAsync(snapshot, TestCluster.Node, default);

        Assert.Equal(["x/a", "x/b"], report.Pods.Select(p => p.Pod));
        await _backend.Received(1).ApplyAsync(
            NetnsRef.Named("ns-a"),
            Arg.Is<NetfilterTable>(t => t.Family == IpFamily.V4 && t.Chains.Any(c => c.Name == "MNP-IN-net1")),
            Arg.Is<NetfilterTable>(t => t.Family == IpFamily.V6 && t.Chains.Any(c => c.Name == "MNP-IN-net1")));
        await _backend.Received(1).ApplyAsync(
            NetnsRef.Named("ns-b"),
            Arg.Is<NetfilterTable>(t => t.Chains.IsEmpty),
            Arg.Is<NetfilterTable>(t => t.Chains.IsEmpty));
        Assert.True(report.Pods[0].Rules > 0);
        Assert.Equal(0, report.Pods[1].Rules);
    }

    [Fact]
    public async Task Host_network_pods_pods_of_other_nodes_and_pending_pods_are_never_touched()
    {
        var snapshot = Cluster()
            .Pod("x", "host", hostNetwork: true, interfaces: [("net1", "net1", ["10.9.0.7"])])
            .Pod("x", "far", node: "node-2", interfaces: [("net1", "net1", ["10.9.0.8"])])
            .Pod("x", "pending", phase: "Pending", interfaces: [("net1", "net1", ["10.9.0.9"])])
            .Policy(Pol.Ingress("x", "deny-all", Sel.All))
            .Build();

        var report = await new RuleReconciler(_backend, _resolver, PolicyOptions.Default).ReconcileAsync(snapshot, TestCluster.Node, default);

        Assert.Equal(["x/a", "x/b"], report.Pods.Select(p => p.Pod));
        await _resolver.DidNotReceive().ResolveAsync(Arg.Is<PodInfo>(p => p.Name == "host" || p.Name == "far" || p.Name == "pending"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task One_pod_failing_is_reported_and_the_others_are_still_programmed()
    {
        _resolver.ResolveAsync(Arg.Is<PodInfo>(p => p.Name == "a"), Arg.Any<CancellationToken>())
            .Returns<ValueTask<NetnsRef>>(_ => throw new NetnsResolutionException("no sandbox for uid-x-a"));
        var snapshot = Cluster().Policy(Pol.Ingress("x", "deny-all", Sel.All)).Build();

        var report = await new RuleReconciler(_backend, _resolver, PolicyOptions.Default).ReconcileAsync(snapshot, TestCluster.Node, default);

        var failure = Assert.Single(report.Failures);
        Assert.Equal("pod x/a: no sandbox for uid-x-a", failure.Error);
        Assert.Equal(PodSyncOutcome.Committed, report.Pods.Single(p => p.Pod == "x/b").Outcome);
        await _backend.Received(1).ApplyAsync(NetnsRef.Named("ns-b"), Arg.Any<NetfilterTable>(), Arg.Any<NetfilterTable>());
    }

    [Fact]
    public async Task A_failed_commit_is_a_failure_of_that_pod_and_an_unchanged_table_is_reported_as_such()
    {
        _backend.ApplyAsync(NetnsRef.Named("ns-a"), Arg.Any<NetfilterTable>(), Arg.Any<NetfilterTable>())
            .ThrowsAsync(new NetnsException(NetnsRef.Named("ns-a"), "open", 2));
        _backend.ApplyAsync(NetnsRef.Named("ns-b"), Arg.Any<NetfilterTable>(), Arg.Any<NetfilterTable>())
            .Returns(Task.FromResult(Result(ApplyOutcome.Unchanged)));

        var report = await new RuleReconciler(_backend, _resolver, PolicyOptions.Default).ReconcileAsync(Cluster().Build(), TestCluster.Node, default);

        Assert.Equal(PodSyncOutcome.Failed, report.Pods[0].Outcome);
        Assert.Contains("ENOENT", report.Pods[0].Error, StringComparison.Ordinal);
        Assert.Equal(PodSyncOutcome.Unchanged, report.Pods[1].Outcome);
    }

    private static TestCluster Cluster() => new TestCluster()
        .Namespace("x")
        .Network("x", "net1")
        .Pod("x", "a", [("pod", "a")], [("net1", "net1", ["10.9.0.1"])])
        .Pod("x", "b", [("pod", "b")], [("net1", "net1", ["10.9.0.2"])]);

    private static ApplyResult Result(ApplyOutcome outcome) => new(
        new FamilyApplyResult(IpFamily.V4, "filter", outcome, 1, TimeSpan.Zero, TimeSpan.Zero),
        new FamilyApplyResult(IpFamily.V6, "filter", outcome, 1, TimeSpan.Zero, TimeSpan.Zero));
}
