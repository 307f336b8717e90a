using Mnp.Agent.Lab;

namespace Mnp.Tests.Unit.Lab;

public sealed class LabLockTests : IDisposable
{
    private readonly LabStore _store = new(Path.Combine(Path.GetTempPath(), $"mnp-lock-{Guid.NewGuid():N}"));

    public void Dispose() => Directory.Delete(_store.Root, recursive: true);

    [Fact]
    public void A_second_holder_of_the_same_lab_is_refused_with_one_line_and_may_retry_after_release()
    {
        var first = LabLock.Acquire(_store, "a");

        var refused = Assert.Throws<LabException>(() => LabLock.Acquire(_store, "a"));
        Assert.Equal($"lab a: another mnp lab command is running on it ({_store.Root}/.a.lock is locked)", refused.Message);
        using (LabLock.Acquire(_store, "b"))
        {
            // Another lab is independent.
        }

        first.Dispose();
        using var again = LabLock.Acquire(_store, "a");
        Assert.True(File.Exists(Path.Combine(_store.Root, ".a.lock")));
    }

    [Fact]
    public void The_lock_file_is_kept_while_the_lab_exists_and_removed_once_it_is_gone()
    {
        Directory.CreateDirectory(_store.DirectoryOf("kept"));
        LabLock.Acquire(_store, "kept").Dispose();
        LabLock.Acquire(_store, "gone").Dispose();

        Assert.True(File.Exists(Path.Combine(_store.Root, ".kept.lock")));
        Assert.False(File.Exists(Path.Combine(_store.Root, ".gone.lock")));
    }

    [Theory]
    [InlineData("/../../../victim")]
    [InlineData("../victim")]
    [InlineData("a\n")]
    [InlineData("Upper")]
    public void A_lab_name_that_is_not_a_dns_label_is_refused_before_any_file_is_touched(string lab)
    {
        var victim = Path.Combine(_store.Root, "..", $"victim.lock");
        Directory.CreateDirectory(_store.Root);
        File.WriteAllText(victim, "keep");
        try
        {
            var refused = Assert.Throws<LabException>(() => LabLock.Acquire(_store, lab));
            Assert.StartsWith("lab name '", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', refused.Message);
            Assert.Equal("keep", File.ReadAllText(victim));
            Assert.Empty(Directory.EnumerateFileSystemEntries(_store.Root));
        }
        finally
        {
            File.Delete(victim);
        }
    }

    /// <summary>
    /// The lock file of a lab that does not exist is unlinked on every release, while others wait to open it: a taker
    /// that opened the unlinked file must notice and retry, so there is never more than one holder at a time.
    /// </summary>
    [Fact]
    public void Holders_never_overlap_while_the_lock_file_is_removed_on_every_release()
    {
        var holders = 0;
        var overlaps = 0;
        var acquired = 0;
        var deadline = DateTime.UtcNow.AddSeconds(3);
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            while (DateTime.UtcNow < deadline)
            {
                LabLock held;
                try
                {
                    held = LabLock.Acquire(_store, "gone");
                }
                catch (LabException)
                {
                    continue;
                }

                if (Interlocked.Increment(ref holders) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                Interlocked.Increment(ref acquired);
                Thread.SpinWait(2000);
                Interlocked.Decrement(ref holders);
                held.Dispose();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.True(acquired > 10, $"only {acquired} acquisitions");
        Assert.Equal(0, overlaps);
        Assert.False(File.Exists(Path.Combine(_store.Root, ".gone.lock")));
    }
}
