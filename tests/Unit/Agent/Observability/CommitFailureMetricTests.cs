using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mnp.Agent.Observability;
using Mnp.Agent.Reconcile;
using Mnp.Agent.Sources;
using Mnp.Agent.Sync;
using Mnp.Native;
using Mnp.Native.Backends;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Native.Nftables;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Mnp.Tests.Unit.Agent.Observability;

/// <summary>
/// <c>mnp_commit_failures_total</c> as <c>/metrics</c> prints it, from a sync through the real reconciler over a fake
/// backend: a failed commit carries the family of the transaction that failed (<c>ipv4</c>, <c>ipv6</c>; <c>inet</c> for
/// the nftables table), a failure before any transaction (no namespace) carries <c>all</c>.
/// </summary>
public sealed class CommitFailureMetricTests : IDisposable
{
    private const string Node = "node-1";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly IFirewallBackend _backend = Substitute.For<IFirewallBackend>();
    private readonly INetnsResolver _resolver = Substitute.For<INetnsResolver>();
    private readonly AgentMetrics _metrics = new();
    private readonly MetricsExporter _exporter;

    public CommitFailureMetricTests()
    {
        _exporter = new MetricsExporter(_metrics);
        _resolver.ResolveAsync(Arg.Any<PodInfo>(), Arg.Any<CancellationToken>())
            .Returns(call => ValueTask.FromResult(NetnsRef.Named("ns-" + call.Arg<PodInfo>().Name)));
        _backend.ApplyAsync(Arg.Any<NetnsRef>(), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(new BackendApplyResult(FirewallBackendKind.Iptables, [new BackendTransaction("IPv4 filter", ApplyOutcome.Committed, 3, 1, TimeSpan.Zero, TimeSpan.Zero)])));
        _backend.ReadAsync(Arg.Any<NetnsRef>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromResult(new OwnedRuleDump(FirewallBackendKind.Iptables, ["IPv4 filter/MNP-INGRESS"], [], [], ForeignSummary.None)));
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public async Task A_failed_IPv6_commit_and_a_failed_IPv4_commit_are_counted_under_their_own_family()
    {
        FailCommit("a", Xtables("ns-a", IpFamily.V6));
        FailCommit("b", Xtables("ns-b", IpFamily.V4));
        FailCommit("c", Xtables("ns-c", IpFamily.V6));

        var text = await SyncAndExportAsync();

        Assert.Equal(
            ["mnp_commit_failures_total{family=\"ipv4\",reason=\"commit_failed\"} 1", "mnp_commit_failures_total{family=\"ipv6\",reason=\"commit_failed\"} 2"],
            FailureLines(text));
    }

    [Fact]
    public async Task A_refused_nftables_batch_is_counted_under_inet()
    {
        FailCommit("a", new NftablesException("commit", "set ingress-net1-0-v4", "ns-a", (int)LinuxError.EINVAL));

        var text = await SyncAndExportAsync();

        Assert.Equal(["mnp_commit_failures_total{family=\"inet\",reason=\"commit_failed\"} 1"], FailureLines(text));
    }

    [Fact]
    public async Task A_model_the_backend_refuses_is_counted_under_the_family_of_the_refused_table()
    {
        FailCommit("a", new RuleValidationException([new RuleProblem(RuleViolation.AddressFamilyMismatch, IpFamily.V6, "filter", "MNP-INGRESS", 0, "source", "10.0.0.1/32 is not an IPv6 network")]));

        var text = await SyncAndExportAsync();

        Assert.Equal(["mnp_commit_failures_total{family=\"ipv6\",reason=\"commit_failed\"} 1"], FailureLines(text));
    }

    [Fact]
    public async Task Failures_before_any_transaction_are_counted_under_all()
    {
        _resolver.ResolveAsync(Arg.Is<PodInfo>(p => p.Name == "a"), Arg.Any<CancellationToken>())
            .Returns<ValueTask<NetnsRef>>(_ => throw new NetnsResolutionException("no sandbox for uid-x-a"));
        FailCommit("b", new NetnsException(NetnsRef.Named("ns-b"), "setns", LinuxError.EINVAL));

        var text = await SyncAndExportAsync();

        Assert.Equal(
            ["mnp_commit_failures_total{family=\"all\",reason=\"commit_failed\"} 1", "mnp_commit_failures_total{family=\"all\",reason=\"netns_unresolved\"} 1"],
            FailureLines(text));
    }

    private static XtablesException Xtables(string netns, IpFamily family) =>
        new(netns, family, "filter", null, family == IpFamily.V4 ? "iptc_commit" : "ip6tc_commit", LinuxError.EINVAL, "Invalid argument");

    private void FailCommit(string pod, MnpException failure) =>
        _backend.ApplyAsync(NetnsRef.Named("ns-" + pod), Arg.Any<PodRules?>(), Arg.Any<PolicyOptions>(), Arg.Any<CancellationToken>()).ThrowsAsync(failure);

    /// <summary>One full pass over x/a, x/b, x/c (all isolated by one policy), then <c>/metrics</c>' text.</summary>
    private async Task<string> SyncAndExportAsync()
    {
        var tracking = new TrackingNetnsResolver(_resolver);
        var syncer = new ReconcilerPodSyncer(new RuleReconciler(_backend, tracking, PolicyOptions.Default), tracking);
        var engine = new SyncEngine(Kinds, SnapshotInputOptions.Cluster, Node, PolicyOptions.Default, syncer, _time, _metrics, NullLogger.Instance);
        var snapshot = new TestCluster()
            .Namespace("x")
            .Network("x", "net1")
            .Pod("x", "a", interfaces: [("x/net1", "net1", ["10.0.0.1"])])
            .Pod("x", "b", interfaces: [("x/net1", "net1", ["10.0.0.2"])])
            .Pod("x", "c", interfaces: [("x/net1", "net1", ["10.0.0.3"])])
            .Policy(Pol.Ingress("x", "deny-all", Sel.All))
            .Build();
        Upsert(engine, snapshot);

        var pass = await engine.SyncAsync(full: true, CancellationToken.None);
        Assert.True(pass.Failures > 0);

        using var stream = new MemoryStream();
        await _exporter.WriteAsync(stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string[] Kinds => [ManifestKinds.Namespace, ManifestKinds.Pod, ManifestKinds.NetworkAttachmentDefinition, ManifestKinds.MultiNetworkPolicy];

    private void Upsert(SyncEngine engine, ClusterSnapshot snapshot)
    {
        var now = _time.GetUtcNow();
        var changes = snapshot.Namespaces.Select(n => (new ObjectKey(ManifestKinds.Namespace, "", n.Name), (object)n))
            .Concat(snapshot.Networks.Select(n => (new ObjectKey(ManifestKinds.NetworkAttachmentDefinition, n.Namespace, n.Name), (object)n)))
            .Concat(snapshot.Pods.Select(p => (new ObjectKey(ManifestKinds.Pod, p.Namespace, p.Name), (object)p)))
            .Concat(snapshot.Policies.Select(p => (new ObjectKey(ManifestKinds.MultiNetworkPolicy, p.Namespace, p.Name), (object)p)));
        foreach (var (key, value) in changes)
        {
            engine.Apply(new ClusterChange(ClusterChangeKind.Upsert, key, value, [], now));
        }

        foreach (var kind in Kinds)
        {
            engine.Apply(ClusterChange.Listed(kind, now));
        }
    }

    private static string[] FailureLines(string text) =>
        [.. text.Split('\n').Where(l => l.StartsWith("mnp_commit_failures_total{", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
