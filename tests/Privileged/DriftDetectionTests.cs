namespace Mnp.Tests.Privileged;

/// <summary>
/// The no-op check of a sync against every kind of change someone else can make to what we own: each one must be
/// seen as drift and repaired in one commit, after which the next sync writes nothing. Changes that are not ours to
/// compare (counters, foreign rules after our jumps) must not count as drift. Both checks are held to that: the
/// read-only compare over the kernel's copy of the table (<see cref="TableBlobScan"/>, which a sync runs first) and
/// the libiptc scan (<see cref="KernelScan"/>, which decides the transaction).
/// </summary>
public sealed class DriftDetectionTests : IDisposable
{
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    public static TheoryData<string, string[][]> Drifts => new()
    {
        { "a rule appended to our chain", [["-A", "MNP-C", "-j", "DROP"]] },
        { "a rule deleted from our chain", [["-D", "MNP-C", "2"]] },
        { "our chain flushed", [["-F", "MNP-A"]] },
        { "only the verdict changed", [["-R", "MNP-C", "2", "-j", "DROP"]] },
        { "only the jump target changed", [["-R", "FORWARD", "1", "-j", "MNP-A"]] },
        { "an extra chain of ours", [["-N", "MNP-X"]] },
        { "our jump added to another built-in chain", [["-A", "INPUT", "-j", "MNP-A"]] },
        { "our jump duplicated", [["-I", "FORWARD", "1", "-j", "MNP-C"]] },
        { "our jump deleted", [["-D", "FORWARD", "1"]] },
        { "a chain of ours removed", [["-D", "MNP-C", "1"], ["-F", "MNP-A"], ["-X", "MNP-A"]] },
    };

    [PrivilegedTheory]
    [MemberData(nameof(Drifts))]
    public async Task A_change_to_what_we_own_is_drift_and_is_repaired(string what, string[][] commands)
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);
        await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));
        foreach (var command in commands)
        {
            await Sh.IptablesAsync(ns.Name, IpFamily.V4, command);
        }

        var repaired = await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));
        var again = await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));

        Assert.True(repaired.V4.Outcome == ApplyOutcome.Committed, what);
        Assert.Equal(Models.ReplacementV4Lines, (await Sh.SaveAsync(ns.Name, IpFamily.V4)).Split('\n').Where(l => l.Contains("MNP-", StringComparison.Ordinal)));
        Assert.Equal(ApplyOutcome.Unchanged, again.V4.Outcome);
    }

    [PrivilegedTheory]
    [MemberData(nameof(Drifts))]
    public async Task Both_checks_see_each_change_as_drift_and_hold_again_after_the_repair(string what, string[][] commands)
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);
        var prepared = XtablesWriter.Prepare(Models.ReplacementV4);
        await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));
        var before = await HoldsAsync(ns, prepared);
        foreach (var command in commands)
        {
            await Sh.IptablesAsync(ns.Name, IpFamily.V4, command);
        }

        var drifted = await HoldsAsync(ns, prepared);
        await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));

        Assert.True(before == (true, true), $"{what}: before the change {before}");
        Assert.True(drifted == (false, false), $"{what}: after the change {drifted}");
        Assert.Equal((true, true), await HoldsAsync(ns, prepared));
    }

    [PrivilegedFact]
    public async Task Counters_and_foreign_rules_after_our_jumps_are_not_drift()
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);
        await backend.ApplyTablesAsync(ns.Ref, Models.AllMatchesV4, Models.AllMatchesV6);
        await Sh.IptablesAsync(ns.Name, IpFamily.V4, "-A", "OUTPUT", "-j", "ACCEPT");
        await Sh.IptablesAsync(ns.Name, IpFamily.V4, "-N", "KUBE-OTHER");
        await Sh.IptablesAsync(ns.Name, IpFamily.V4, "-A", "KUBE-OTHER", "-j", "MNP-B");
        await Sh.IptablesAsync(ns.Name, IpFamily.V4, "-R", "OUTPUT", "1", "-c", "7", "700", "-j", "MNP-B");
        var counted = await Sh.InNetnsAsync(ns.Name, "iptables-legacy-save", "-c", "-t", "filter");

        var again = await backend.ApplyTablesAsync(ns.Ref, Models.AllMatchesV4, Models.AllMatchesV6);

        Assert.Contains("[7:700] -A OUTPUT -j MNP-B", counted, StringComparison.Ordinal);
        Assert.Equal((ApplyOutcome.Unchanged, ApplyOutcome.Unchanged), (again.V4.Outcome, again.V6.Outcome));
        Assert.Equal((true, true), await HoldsAsync(ns, XtablesWriter.Prepare(Models.AllMatchesV4)));
        Assert.Equal((true, true), await HoldsAsync(ns, XtablesWriter.Prepare(Models.AllMatchesV6)));
    }

    /// <summary>What each check says of the namespace's table against <paramref name="prepared"/>: (read-only compare, libiptc scan).</summary>
    private Task<(bool ReadOnly, bool Libiptc)> HoldsAsync(TestNetns ns, EncodedTable prepared) =>
        _executor.RunAsync(ns.Ref, () =>
        {
            var family = prepared.Desired.Family;
            lock (IptcLock.Gate)
            {
                var blob = new TableBlobReader(family).Read("filter");
                var readOnly = blob is not null && TableBlobScan.Holds(blob, prepared);
                using var session = IptcSession.Open(family == IpFamily.V4 ? Ip4tcLibrary.Instance : Ip6tcLibrary.Instance, ns.Name, "filter");
                return (readOnly, KernelScan.Run(session, prepared).Holds);
            }
        });
}
