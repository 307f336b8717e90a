using Mnp.Agent.Reconcile;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;

namespace Mnp.Tests.Privileged;

/// <summary>
/// The periodic full resync through the reconciler and the real iptables backend, counting the commits libiptc makes:
/// a pass with nothing changed commits nothing (the read-only compare and the cached models decide), and a change
/// made to our chains behind our back (by iptables-legacy) is seen on the next pass and repaired in one commit,
/// after which the pass is a no-op again.
/// </summary>
public sealed class NoOpResyncTests : IDisposable
{
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    /// <summary>iptables-legacy arguments after the chain; the chain is the first of ours that holds a rule.</summary>
    public static TheoryData<string, string[]> Drifts => new()
    {
        { "a rule of ours deleted", ["-D", "{0}", "1"] },
        { "an ACCEPT inserted first in our chain", ["-I", "{0}", "1", "-j", "ACCEPT"] },
        { "a rule of ours replaced by a wider one", ["-R", "{0}", "1", "-j", "ACCEPT"] },
    };

    [PrivilegedTheory]
    [MemberData(nameof(Drifts))]
    public async Task A_no_op_pass_commits_nothing_and_drift_is_repaired_on_the_next_pass(string what, string[] drift)
    {
        await using var ns = await TestNetns.CreateAsync();
        var commits = 0;
        var backend = new IptablesBackend(
            _executor,
            new XtablesWriter(Ip4tcLibrary.Instance) { BeforeCommit = (_, _) => commits++ },
            new XtablesWriter(Ip6tcLibrary.Instance) { BeforeCommit = (_, _) => commits++ });
        var snapshot = new TestCluster()
            .Namespace("x")
            .Network("x", "net1")
            .Pod("x", "a", [("pod", "a")], [("net1", "net1", ["10.9.0.1"])])
            .Pod("x", "b", [("pod", "b")], [("net1", "net1", ["10.9.0.2"])])
            .Policy(Pol.Ingress("x", "allow-b", Sel.Labels(("pod", "a")), Pol.Rule([Pol.Pods(Sel.Labels(("pod", "b")))], [Pol.Tcp(80)])))
            .Build();
        var reconciler = new RuleReconciler(backend, new OneNamespaceResolver(ns.Ref, "x/a"), PolicyOptions.Default);
        async Task<PodSyncOutcome> PassAsync() => (await reconciler.ReconcileAsync(snapshot, TestCluster.Node, default)).Pods.Single(p => p.Pod == "x/a").Outcome;

        var first = await PassAsync();
        var firstCommits = commits;
        var programmed = Ours(await Sh.SaveAsync(ns.Name, IpFamily.V4));
        var noOp = await PassAsync();
        var noOpCommits = commits - firstCommits;
        var chain = programmed.First(l => l.StartsWith("-A MNP-", StringComparison.Ordinal)).Split(' ')[1];
        await Sh.IptablesAsync(ns.Name, IpFamily.V4, [.. drift.Select(a => string.Format(System.Globalization.CultureInfo.InvariantCulture, a, chain))]);
        var drifted = Ours(await Sh.SaveAsync(ns.Name, IpFamily.V4));
        var repair = await PassAsync();
        var repairCommits = commits - firstCommits;
        var repaired = Ours(await Sh.SaveAsync(ns.Name, IpFamily.V4));
        var after = await PassAsync();

        Assert.True((first, noOp, repair, after) == (PodSyncOutcome.Committed, PodSyncOutcome.Unchanged, PodSyncOutcome.Committed, PodSyncOutcome.Unchanged), $"{what}: {(first, noOp, repair, after)}");
        Assert.True(firstCommits >= 1, "the first pass programs the pod");
        Assert.Equal(0, noOpCommits);
        Assert.NotEqual(programmed, drifted);
        Assert.Equal(1, repairCommits);
        Assert.Equal(programmed, repaired);
        Assert.Equal(firstCommits + 1, commits);
    }

    private static string[] Ours(string saved) => [.. saved.Split('\n').Where(l => l.Contains("MNP-", StringComparison.Ordinal))];
}
