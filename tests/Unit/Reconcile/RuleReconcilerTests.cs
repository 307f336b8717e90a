using Mnp.Agent.Reconcile;
using Mnp.Native;
using Mnp.Native.Backends;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;
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
        _backend.ApplyAsync(Arg.Any<NetnsRef>(), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>())
            .Returns(call => Task.FromResult(Result(ApplyOutcome.Committed, call.Arg<PodRules?>())));
        _backend.ReadAsync(Arg.Any<NetnsRef>(), Arg.Any<CancellationToken>()).Returns(Task.FromResult(Nothing));
    }

    private static OwnedRuleDump Nothing { get; } = new(FirewallBackendKind.Iptables, [], [], [], ForeignSummary.None);

    [Fact]
    public async Task Governed_pods_get_their_rules_and_ungoverned_local_pods_get_none()
    {
        var snapshot = Cluster().Policy(Pol.Ingress("x", "deny-a", Sel.Labels(("pod", "a")))).Build();

        var report = await Reconciler().ReconcileAsync(snapshot, TestCluster.Node, default);

        Assert.Equal(["x/a", "x/b"], report.Pods.Select(p => p.Pod));
        await _backend.Received(1).ApplyAsync(
            NetnsRef.Named("ns-a"),
            Arg.Is<PodRules?>(r => r != null && r.Pod.Key == "x/a" && r.Interfaces.Single().Interface == "net1" && r.Interfaces.Single().Ingress.Isolated),
            PolicyOptions.Default,
            Arg.Any<CancellationToken>());
        await _backend.Received(1).ApplyAsync(
            NetnsRef.Named("ns-b"),
            Arg.Is<PodRules?>(r => r == null || !r.Interfaces.Any(i => i.IsGoverned)),
            PolicyOptions.Default,
            Arg.Any<CancellationToken>());
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

        var report = await Reconciler().ReconcileAsync(snapshot, TestCluster.Node, default);

        Assert.Equal(["x/a", "x/b"], report.Pods.Select(p => p.Pod));
        await _resolver.DidNotReceive().ResolveAsync(Arg.Is<PodInfo>(p => p.Name == "host" || p.Name == "far" || p.Name == "pending"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task One_pod_failing_is_reported_and_the_others_are_still_programmed()
    {
        _resolver.ResolveAsync(Arg.Is<PodInfo>(p => p.Name == "a"), Arg.Any<CancellationToken>())
            .Returns<ValueTask<NetnsRef>>(_ => throw new NetnsResolutionException("no sandbox for uid-x-a"));
        var snapshot = Cluster().Policy(Pol.Ingress("x", "deny-all", Sel.All)).Build();

        var report = await Reconciler().ReconcileAsync(snapshot, TestCluster.Node, default);

        var failure = Assert.Single(report.Failures);
        Assert.Equal("pod x/a: no sandbox for uid-x-a", failure.Error);
        Assert.Equal(new PodSyncFailure(PodSyncFailureReason.NamespaceNotFound, "x/a", "no sandbox for uid-x-a", FailClosedOutcome.KeptPrevious), failure.Failure);
        Assert.Equal(PodSyncOutcome.Committed, report.Pods.Single(p => p.Pod == "x/b").Outcome);
        await _backend.Received(1).ApplyAsync(NetnsRef.Named("ns-b"), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_failed_commit_is_a_failure_of_that_pod_and_an_unchanged_table_is_reported_as_such()
    {
        _backend.ApplyAsync(NetnsRef.Named("ns-a"), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new NetnsException(NetnsRef.Named("ns-a"), "open", LinuxError.ENOENT));
        _backend.ApplyAsync(NetnsRef.Named("ns-b"), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(Result(ApplyOutcome.Unchanged, null)));

        var report = await Reconciler().ReconcileAsync(Cluster().Build(), TestCluster.Node, default);

        Assert.Equal(PodSyncOutcome.Failed, report.Pods[0].Outcome);
        Assert.Contains("ENOENT", report.Pods[0].Error, StringComparison.Ordinal);
        Assert.Equal(PodSyncFailureReason.NamespaceUnavailable, report.Pods[0].Failure!.Reason);
        Assert.Equal(NetnsRef.Named("ns-a").Path, report.Pods[0].Failure!.Object);
        Assert.Equal(PodSyncOutcome.Unchanged, report.Pods[1].Outcome);
    }

    [Fact]
    public async Task A_refused_model_fails_closed_with_a_deny_all_on_the_governed_interfaces()
    {
        var refused = new RefusedModelException("IPv4 filter/MNP-IN-net1: chain appears twice in the model");
        _backend.ApplyAsync(NetnsRef.Named("ns-a"), Arg.Is<PodRules?>(r => r != null && r.Interfaces.Any(i => i.Ingress.Allowances.Length > 0)), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(refused);
        var snapshot = Cluster().Policy(Pol.Ingress("x", "allow-b", Sel.Labels(("pod", "a")), Pol.Rule([Pol.Pods(Sel.Labels(("pod", "b")))]))).Build();

        var report = await Reconciler().ReconcileAsync(snapshot, TestCluster.Node, default);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(new PodSyncFailure(PodSyncFailureReason.ModelRefused, "model", refused.Message, FailClosedOutcome.DeniedAll), failure.Failure);
        Assert.Contains("deny all traffic", failure.Error, StringComparison.Ordinal);
        await _backend.Received(1).ApplyAsync(NetnsRef.Named("ns-a"), Arg.Is<PodRules?>(r => IsDenyAllOnNet1(r)), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>());
        await _backend.DidNotReceive().ReadAsync(Arg.Any<NetnsRef>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_failed_commit_on_a_pod_with_nothing_of_ours_fails_closed_and_one_with_old_rules_keeps_them()
    {
        var commitFailed = new XtablesException("ns", IpFamily.V4, "filter", null, "iptc_commit", LinuxError.EINVAL, "Invalid argument");
        _backend.ApplyAsync(Arg.Any<NetnsRef>(), Arg.Is<PodRules?>(r => r != null && r.Interfaces.Any(i => i.Ingress.Allowances.Length > 0)), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(commitFailed);
        var old = new OwnedRuleDump(FirewallBackendKind.Iptables, ["IPv4 filter/MNP-IN-net1"], [new OwnedRule("IPv4 filter/MNP-IN-net1", 0, "-j DROP", "net1", null)], [], ForeignSummary.None);
        _backend.ReadAsync(NetnsRef.Named("ns-b"), Arg.Any<CancellationToken>()).Returns(Task.FromResult(old));
        var snapshot = Cluster().Policy(Pol.Ingress("x", "allow-all", Sel.All, Pol.Rule([Pol.Pods(Sel.All)]))).Build();

        var report = await Reconciler().ReconcileAsync(snapshot, TestCluster.Node, default);

        var first = report.Pods.Single(p => p.Pod == "x/a").Failure!;
        var kept = report.Pods.Single(p => p.Pod == "x/b").Failure!;
        Assert.Equal((PodSyncFailureReason.CommitFailed, "IPv4 filter", FailClosedOutcome.DeniedAll), (first.Reason, first.Object, first.FailClosed));
        Assert.Equal((PodSyncFailureReason.CommitFailed, FailClosedOutcome.KeptPrevious), (kept.Reason, kept.FailClosed));
        await _backend.Received(1).ApplyAsync(NetnsRef.Named("ns-a"), Arg.Is<PodRules?>(r => IsDenyAllOnNet1(r)), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>());
        await _backend.DidNotReceive().ApplyAsync(NetnsRef.Named("ns-b"), Arg.Is<PodRules?>(r => IsDenyAllOnNet1(r)), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_deny_all_that_fails_as_well_is_reported_and_a_missing_library_is_not_retried()
    {
        _backend.ApplyAsync(NetnsRef.Named("ns-a"), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new RefusedModelException("refused"));
        _backend.ApplyAsync(NetnsRef.Named("ns-b"), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new NativeLibraryException("libip4tc.so.2", "IPv4 iptables rules", new DllNotFoundException("not found")));
        var snapshot = Cluster().Policy(Pol.Ingress("x", "deny-all", Sel.All)).Build();

        var report = await Reconciler().ReconcileAsync(snapshot, TestCluster.Node, default);

        Assert.Equal(FailClosedOutcome.DenyAllFailed, report.Pods[0].Failure!.FailClosed);
        Assert.Equal((PodSyncFailureReason.LibraryMissing, "libip4tc.so.2", FailClosedOutcome.KeptPrevious), (report.Pods[1].Failure!.Reason, report.Pods[1].Failure!.Object, report.Pods[1].Failure!.FailClosed));
        await _backend.Received(2).ApplyAsync(NetnsRef.Named("ns-a"), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>());
        await _backend.Received(1).ApplyAsync(NetnsRef.Named("ns-b"), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task The_token_reaches_the_backend_and_a_cancelled_pass_stops_before_the_next_pod()
    {
        using var cancel = new CancellationTokenSource();
        _backend.ApplyAsync(NetnsRef.Named("ns-a"), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), cancel.Token)
            .Returns(call =>
            {
                cancel.Cancel();
                return Task.FromResult(Result(ApplyOutcome.Committed, call.Arg<PodRules?>()));
            });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Reconciler().ReconcileAsync(Cluster().Build(), TestCluster.Node, cancel.Token));

        await _backend.DidNotReceive().ApplyAsync(NetnsRef.Named("ns-b"), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>());
    }

    private RuleReconciler Reconciler() => new(_backend, _resolver, PolicyOptions.Default);

    private static bool IsDenyAllOnNet1(PodRules? rules) =>
        rules is { Interfaces: [{ Interface: "net1", Ingress: { Isolated: true, Allowances.IsEmpty: true }, Egress: { Isolated: true, Allowances.IsEmpty: true } }] };

    private static TestCluster Cluster() => new TestCluster()
        .Namespace("x")
        .Network("x", "net1")
        .Pod("x", "a", [("pod", "a")], [("net1", "net1", ["10.9.0.1"])])
        .Pod("x", "b", [("pod", "b")], [("net1", "net1", ["10.9.0.2"])]);

    /// <summary>What a backend reports: one transaction per family, with a rule per governed direction and allowance (a stand-in count).</summary>
    private static BackendApplyResult Result(ApplyOutcome outcome, PodRules? rules)
    {
        var count = rules is null ? 0 : rules.Interfaces.Sum(i => Count(i.Ingress) + Count(i.Egress));
        return new(FirewallBackendKind.Iptables, [new("IPv4 filter", outcome, count, 1, TimeSpan.Zero, TimeSpan.Zero), new("IPv6 filter", outcome, count, 1, TimeSpan.Zero, TimeSpan.Zero)]);

        static int Count(DirectionRules d) => d.Isolated ? 1 + d.Allowances.Length : 0;
    }

    private sealed class RefusedModelException(string message) : FirewallModelException(message)
    {
        public override string Subject => "model";
    }
}
