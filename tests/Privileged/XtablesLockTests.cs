using CliWrap;
using CliWrap.Buffered;

namespace Mnp.Tests.Privileged;

/// <summary>
/// The xtables lock around libiptc transactions: the lock is the flock iptables tools take (util-linux flock sees it
/// held), a commit waits while another process holds it and writes nothing until then, and one held for longer than
/// the wait fails with one line and writes nothing. A sync that finds the kernel already holding the model does not
/// wait for it at all (the read-only compare takes no lock, docs/native.md §7), while drift found then still does.
/// </summary>
public sealed class XtablesLockTests : IDisposable
{
    private readonly NetnsExecutor _executor = new();
    private readonly string _lock = Path.Combine(Path.GetTempPath(), $"mnp-xtables-{Guid.NewGuid():N}.lock");
    private readonly (string Path, TimeSpan Wait) _saved = (XtablesLock.Path, XtablesLock.Wait);

    public XtablesLockTests() => XtablesLock.Path = _lock;

    public void Dispose()
    {
        (XtablesLock.Path, XtablesLock.Wait) = _saved;
        _executor.Dispose();
        File.Delete(_lock);
    }

    [PrivilegedFact]
    public async Task A_commit_waits_for_the_holder_and_flock_sees_ours_while_it_holds_it()
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);

        using (var held = new FileStream(_lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            // Our lock is the one the tools take: util-linux flock cannot take it now.
            var probe = await CliWrap.Cli.Wrap("flock").WithArguments(["--nonblock", _lock, "true"]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            Assert.Equal(1, probe.ExitCode);

            var apply = backend.ApplyTablesAsync(ns.Ref, Models.AllMatchesV4, Models.AllMatchesV6);
            await Task.Delay(500);
            Assert.False(apply.IsCompleted, "the commit must wait for the lock");
            Assert.DoesNotContain("MNP-", await Sh.SaveAsync(ns.Name, IpFamily.V4), StringComparison.Ordinal);
            held.Dispose();
            var result = await apply;
            Assert.Equal((ApplyOutcome.Committed, ApplyOutcome.Committed), (result.V4.Outcome, result.V6.Outcome));
        }

        Assert.Contains("MNP-", await Sh.SaveAsync(ns.Name, IpFamily.V4), StringComparison.Ordinal);

        // Released after the commit: the tools can take it again.
        var free = await CliWrap.Cli.Wrap("flock").WithArguments(["--nonblock", _lock, "true"]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.Equal(0, free.ExitCode);
    }

    [PrivilegedFact]
    public async Task A_lock_held_past_the_wait_fails_in_one_line_and_writes_nothing()
    {
        await using var ns = await TestNetns.CreateAsync();
        XtablesLock.Wait = TimeSpan.FromMilliseconds(200);
        using var held = new FileStream(_lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var failure = await Assert.ThrowsAsync<XtablesLockException>(() => new IptablesBackend(_executor).ApplyTablesAsync(ns.Ref, Models.AllMatchesV4, Models.AllMatchesV6));

        Assert.Equal($"netns {ns.Ref.Path}: {_lock} is held by another process (an iptables tool?) for 0.2 s: not committed, retried on the next sync", failure.Message);
        Assert.DoesNotContain("MNP-", await Sh.SaveAsync(ns.Name, IpFamily.V4), StringComparison.Ordinal);
    }

    [PrivilegedFact]
    public async Task A_no_op_sync_does_not_wait_for_a_held_lock_but_a_repair_does()
    {
        await using var ns = await TestNetns.CreateAsync();
        var backend = new IptablesBackend(_executor);
        await backend.ApplyTablesAsync(ns.Ref, Models.AllMatchesV4, Models.AllMatchesV6);
        XtablesLock.Wait = TimeSpan.FromMilliseconds(200);
        using var held = new FileStream(_lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var noOp = await backend.ApplyTablesAsync(ns.Ref, Models.AllMatchesV4, Models.AllMatchesV6);
        await Sh.IptablesAsync(ns.Name, IpFamily.V4, "-F", "MNP-B");
        var repair = await Assert.ThrowsAsync<XtablesLockException>(() => backend.ApplyTablesAsync(ns.Ref, Models.AllMatchesV4, Models.AllMatchesV6));

        Assert.Equal((ApplyOutcome.Unchanged, ApplyOutcome.Unchanged), (noOp.V4.Outcome, noOp.V6.Outcome));
        Assert.Contains("is held by another process", repair.Message, StringComparison.Ordinal);
    }
}
