using Mnp.Policy.Rendering;

namespace Mnp.Tests.Privileged;

/// <summary>
/// The libiptc backend against the real kernel, each test in fresh namespaces. The oracle is the iptables
/// CLI: iptables-legacy-save of what we committed must equal our own iptables-save rendering of the model
/// (IptablesSaveWriter), the hand-written expected lines and the save of iptables-legacy-restore of those same
/// lines in another namespace, and the kernel entries must be byte-equal.
/// </summary>
public sealed class IptablesBackendTests : IDisposable
{
    private readonly NetnsExecutor _executor = new();

    public void Dispose() => _executor.Dispose();

    [PrivilegedFact]
    public async Task Committed_rules_equal_what_iptables_restore_makes_of_the_same_text()
    {
        await using var ours = await TestNetns.CreateAsync();
        await using var oracle = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);

        var result = await backend.ApplyTablesAsync(ours.Ref, Models.AllMatchesV4, Models.AllMatchesV6);
        await Sh.RestoreAsync(oracle.Name, IpFamily.V4, Models.RestoreText(Models.AllMatchesV4Lines));
        await Sh.RestoreAsync(oracle.Name, IpFamily.V6, Models.RestoreText(Models.AllMatchesV6Lines));

        Assert.Equal(ApplyOutcome.Committed, result.V4.Outcome);
        Assert.Equal(ApplyOutcome.Committed, result.V6.Outcome);
        foreach (var (family, lines, model) in new[] { (IpFamily.V4, Models.AllMatchesV4Lines, Models.AllMatchesV4), (IpFamily.V6, Models.AllMatchesV6Lines, Models.AllMatchesV6) })
        {
            var saved = await Sh.SaveAsync(ours.Name, family);
            Assert.Equal(await Sh.SaveAsync(oracle.Name, family), saved);
            Assert.Equal(IptablesSaveWriter.Write(model).TrimEnd('\n'), saved);
            Assert.Equal(lines, saved.Split('\n').Where(l => l.Contains("MNP-", StringComparison.Ordinal)));
            var ourEntries = await RawEntries.ReadAsync(_executor, ours, family);
            var oracleEntries = await RawEntries.ReadAsync(_executor, oracle, family);
            Assert.Equal(oracleEntries.Select(e => (e.Chain, Convert.ToHexString(e.Entry))), ourEntries.Select(e => (e.Chain, Convert.ToHexString(e.Entry))));
        }
    }

    [PrivilegedFact]
    public async Task Reading_back_gives_the_committed_model_and_a_second_apply_writes_nothing()
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);
        await backend.ApplyTablesAsync(ns.Ref, Models.AllMatchesV4, Models.AllMatchesV6);
        var before = await Sh.SaveAsync(ns.Name, IpFamily.V4);

        var (v4, v6) = await backend.ReadTablesAsync(ns.Ref);
        var again = await backend.ApplyTablesAsync(ns.Ref, Models.AllMatchesV4, Models.AllMatchesV6);

        Assert.True(v4.Matches(Models.AllMatchesV4), string.Join('\n', v4.Anomalies));
        Assert.True(v6.Matches(Models.AllMatchesV6), string.Join('\n', v6.Anomalies));
        Assert.True(Models.AllMatchesV4.Chains.Single(c => c.Name == "MNP-A").Rules.SequenceEqual(v4.Owned.Chains.Single(c => c.Name == "MNP-A").Rules));
        Assert.Equal((ApplyOutcome.Unchanged, ApplyOutcome.Unchanged), (again.V4.Outcome, again.V6.Outcome));
        Assert.Equal(before, await Sh.SaveAsync(ns.Name, IpFamily.V4));
    }

    [PrivilegedFact]
    public async Task Replace_and_cleanup_leave_foreign_chains_and_rules_untouched()
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);
        await Sh.RestoreAsync(ns.Name, IpFamily.V4, """
            *filter
            :KUBE-FOO - [0:0]
            -A INPUT -j KUBE-FOO
            -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
            -A OUTPUT -m mark --mark 0x1 -j ACCEPT
            -A KUBE-FOO -s 1.2.3.4/32 -j DROP
            -A KUBE-FOO -m limit --limit 5/sec -j LOG
            COMMIT

            """);
        await Sh.RestoreAsync(ns.Name, IpFamily.V6, "*filter\n:FOREIGN6 - [0:0]\n-A FORWARD -j FOREIGN6\n-A FOREIGN6 -j RETURN\nCOMMIT\n");
        var foreignV4 = await Sh.SaveAsync(ns.Name, IpFamily.V4);
        var foreignV6 = await Sh.SaveAsync(ns.Name, IpFamily.V6);

        await backend.ApplyTablesAsync(ns.Ref, Models.AllMatchesV4, Models.AllMatchesV6);
        var first = await Sh.SaveAsync(ns.Name, IpFamily.V4);
        var (dump, _) = await backend.ReadTablesAsync(ns.Ref);
        var replaced = await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));
        var second = await Sh.SaveAsync(ns.Name, IpFamily.V4);
        var v6AfterReplace = await Sh.SaveAsync(ns.Name, IpFamily.V6);
        var cleaned = await backend.CleanupAsync(ns.Ref);

        Assert.Equal(ForeignLines(foreignV4), ForeignLines(first));
        Assert.Equal(ForeignLines(foreignV4), ForeignLines(second));
        Assert.Equal(foreignV6, v6AfterReplace);
        Assert.Equal(Models.ReplacementV4Lines, second.Split('\n').Where(l => l.Contains("MNP-", StringComparison.Ordinal)));
        Assert.StartsWith("-A INPUT -i net1 -j MNP-A\n-A INPUT -j KUBE-FOO", string.Join('\n', first.Split('\n').Where(l => l.StartsWith("-A INPUT", StringComparison.Ordinal))), StringComparison.Ordinal);
        Assert.Equal(ApplyOutcome.Committed, replaced.V4.Outcome);
        Assert.Equal(ApplyOutcome.Committed, cleaned.V4.Outcome);
        Assert.Equal(ApplyOutcome.Unchanged, cleaned.V6.Outcome);
        Assert.Equal(foreignV4, await Sh.SaveAsync(ns.Name, IpFamily.V4));
        Assert.Equal(foreignV6, await Sh.SaveAsync(ns.Name, IpFamily.V6));
        var foo = Assert.Single(dump.Chains, c => c.Name == "KUBE-FOO");
        Assert.False(foo.IsOwned);
        Assert.Equal(["-s 1.2.3.4/32 -j DROP", "-m limit -j LOG"], foo.Rules.Select(r => r.Text));
        Assert.Equal(["limit"], foo.Rules[1].UnknownMatches.ToArray());
        Assert.Equal("-m mark -j ACCEPT", Assert.Single(dump.Chains, c => c.Name == "OUTPUT").Rules.Last().Text);
    }

    [PrivilegedFact]
    public async Task Our_jump_moved_behind_a_foreign_rule_is_drift_and_gets_moved_back_first()
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);
        await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));
        await Sh.IptablesAsync(ns.Name, IpFamily.V4, "-I", "FORWARD", "1", "-j", "DROP");

        var (drifted, _) = await backend.ReadTablesAsync(ns.Ref);
        var repaired = await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));

        Assert.False(drifted.Matches(Models.ReplacementV4));
        Assert.Single(drifted.Anomalies);
        Assert.Equal(ApplyOutcome.Committed, repaired.V4.Outcome);
        Assert.Equal(
            ["-A FORWARD -j MNP-C", "-A FORWARD -j DROP"],
            (await Sh.SaveAsync(ns.Name, IpFamily.V4)).Split('\n').Where(l => l.StartsWith("-A FORWARD", StringComparison.Ordinal)));
    }

    [PrivilegedFact]
    public async Task A_rule_changed_in_place_by_someone_else_is_detected_and_rewritten()
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);
        await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));
        await Sh.IptablesAsync(ns.Name, IpFamily.V4, "-R", "MNP-A", "1", "-p", "tcp", "-m", "tcp", "--dport", "23", "-j", "DROP");

        var repaired = await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));

        Assert.Equal(ApplyOutcome.Committed, repaired.V4.Outcome);
        Assert.Equal(Models.ReplacementV4Lines, (await Sh.SaveAsync(ns.Name, IpFamily.V4)).Split('\n').Where(l => l.Contains("MNP-", StringComparison.Ordinal)));
    }

    [PrivilegedFact]
    public async Task A_change_between_init_and_commit_is_retried_from_a_fresh_init()
    {
        await using var ns = await TestNetns.CreateAsync();
        var raced = 0;
        var v4 = new XtablesWriter(Ip4tcLibrary.Instance)
        {
            BeforeCommit = (_, attempt) =>
            {
                if (attempt > 1)
                {
                    return;
                }

                // Another writer (its own handle, same namespace) commits first: our commit must see EAGAIN.
                using var other = IptcSession.Open(Ip4tcLibrary.Instance, ns.Name, "filter");
                other.CreateChain("OTHER-WRITER");
                other.Commit();
                raced++;
            },
        };
        var backend = new IptablesBackend(_executor, v4, new XtablesWriter(Ip6tcLibrary.Instance));

        var result = await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));

        Assert.Equal(1, raced);
        Assert.Equal(2, result.V4.Attempts);
        Assert.Equal(ApplyOutcome.Committed, result.V4.Outcome);
        var saved = await Sh.SaveAsync(ns.Name, IpFamily.V4);
        Assert.Contains(":OTHER-WRITER - [0:0]", saved, StringComparison.Ordinal);
        Assert.Equal(Models.ReplacementV4Lines, saved.Split('\n').Where(l => l.Contains("MNP-", StringComparison.Ordinal)));
    }

    [PrivilegedFact]
    public async Task Retries_are_bounded_and_the_last_EAGAIN_is_reported()
    {
        await using var ns = await TestNetns.CreateAsync();
        var v4 = new XtablesWriter(Ip4tcLibrary.Instance, maxAttempts: 3)
        {
            BeforeCommit = (_, attempt) =>
            {
                using var other = IptcSession.Open(Ip4tcLibrary.Instance, ns.Name, "filter");
                other.CreateChain($"OTHER-{attempt}");
                other.Commit();
            },
        };
        var backend = new IptablesBackend(_executor, v4, new XtablesWriter(Ip6tcLibrary.Instance));

        var e = await Assert.ThrowsAsync<XtablesException>(() => backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6)));

        Assert.Equal(LinuxError.EAGAIN, e.Errno);
        Assert.Equal("iptc_commit", e.Operation);
        Assert.Equal(IpFamily.V4, e.Family);
        Assert.Contains(ns.Name, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MNP-", await Sh.SaveAsync(ns.Name, IpFamily.V4), StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public async Task A_foreign_reference_to_our_chain_fails_typed_and_writes_nothing()
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);
        await backend.ApplyTablesAsync(ns.Ref, Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6));
        await Sh.RestoreAsync(ns.Name, IpFamily.V4, "*filter\n:KUBE-X - [0:0]\n-A KUBE-X -j MNP-C\nCOMMIT\n", noflush: true);
        var before = await Sh.SaveAsync(ns.Name, IpFamily.V4);

        var e = await Assert.ThrowsAsync<XtablesException>(() => backend.CleanupAsync(ns.Ref));

        Assert.Equal("MNP-C", e.Chain);
        Assert.Equal("iptc_delete_chain", e.Operation);
        Assert.Equal("filter", e.Table);
        Assert.NotEmpty(e.LibraryMessage);
        Assert.Equal(before, await Sh.SaveAsync(ns.Name, IpFamily.V4));
    }

    [PrivilegedFact]
    public async Task A_vanished_namespace_is_a_typed_error()
    {
        string gone;
        await using (var ns = await TestNetns.CreateAsync())
        {
            gone = ns.Name;
        }

        var backend = new IptablesBackend(_executor);
        var notFound = await Assert.ThrowsAsync<NetnsException>(() => backend.ApplyTablesAsync(NetnsRef.Named(gone), Models.ReplacementV4, NetfilterTable.Empty(IpFamily.V6)));
        var file = Path.GetTempFileName();
        try
        {
            var notNs = await Assert.ThrowsAsync<NetnsException>(() => backend.ReadTablesAsync(new NetnsRef(file)));
            Assert.Equal(NetnsError.NotANamespace, notNs.Error);
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal(NetnsError.NotFound, notFound.Error);
        Assert.Contains(gone, notFound.Message, StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public async Task An_invalid_model_is_rejected_before_touching_the_namespace()
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);
        var bad = new NetfilterTable(IpFamily.V4, "filter", [new NetfilterChain("MNP-A", [new NetfilterRule(RuleTarget.Accept) { DestinationPorts = [(80, 80)] }])]);

        var e = await Assert.ThrowsAsync<RuleValidationException>(() => backend.ApplyTablesAsync(ns.Ref, bad, NetfilterTable.Empty(IpFamily.V6)));

        Assert.Equal(RuleViolation.PortsWithoutProtocol, Assert.Single(e.Problems).Violation);
        Assert.DoesNotContain("MNP-", await Sh.SaveAsync(ns.Name, IpFamily.V4), StringComparison.Ordinal);
    }

    private static string[] ForeignLines(string save) =>
        save.Split('\n').Where(l => !l.Contains("MNP-", StringComparison.Ordinal)).ToArray();
}
