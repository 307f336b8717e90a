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
}
