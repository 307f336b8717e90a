using Mnp.Native.Netns;

namespace Mnp.Agent.Lab;

/// <summary>
/// Serialises <c>mnp lab</c> commands on one lab across processes: an exclusive advisory lock (flock, what .NET
/// takes for <see cref="FileShare.None"/> on Linux) on <c>ROOT/.NAME.lock</c>, held for the whole command. A second
/// command fails at once with a one-line error instead of interleaving namespace and rule changes.
/// </summary>
/// <remarks>
/// The lock file is removed on release when the lab no longer exists, so <c>down</c> leaves nothing behind. That is
/// safe because the holder unlinks it while still holding the lock, and a taker checks, once it holds the lock on the
/// file it opened, that the path still names that very file (same device and inode); a file unlinked (or replaced)
/// in between is stale, and it opens the path again. The lab name is checked before any path is made of it.
/// </remarks>
public sealed class LabLock : IDisposable
{
    private const int Attempts = 8;
    private readonly FileStream _file;
    private readonly string _path;
    private readonly string _labDirectory;

    private LabLock(FileStream file, string path, string labDirectory)
    {
        _file = file;
        _path = path;
        _labDirectory = labDirectory;
    }

    /// <exception cref="LabException">The lab name is not valid, or another process holds the lab.</exception>
    public static LabLock Acquire(LabStore store, string lab)
    {
        ArgumentNullException.ThrowIfNull(store);
        LabPlanner.ValidateLabName(lab);
        Directory.CreateDirectory(store.Root);
        var path = Path.Combine(store.Root, $".{lab}.lock");
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                throw new LabException($"lab {lab}: another mnp lab command is running on it ({path} is locked)");
            }

            if (StillNamedBy(file, path))
            {
                return new LabLock(file, path, store.DirectoryOf(lab));
            }

            // The previous holder removed this file after we opened it: our lock is on a file nobody else will see.
            file.Dispose();
        }

        throw new LabException($"lab {lab}: {path} keeps being replaced; another mnp lab command is running on it");
    }

    public void Dispose()
    {
        // Unlink while still holding the lock; a waiting taker then finds its file stale and opens the path again.
        if (!Directory.Exists(_labDirectory))
        {
            File.Delete(_path);
        }

        _file.Dispose();
    }

    private static bool StillNamedBy(FileStream file, string path)
    {
        try
        {
            var opened = NetnsExecutor.IdentityOf($"/proc/self/fd/{file.SafeFileHandle.DangerousGetHandle()}");
            return File.Exists(path) && NetnsExecutor.IdentityOf(path) == opened;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
