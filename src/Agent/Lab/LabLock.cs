namespace Mnp.Agent.Lab;

/// <summary>
/// Serialises <c>mnp lab</c> commands on one lab across processes: an exclusive advisory lock (flock, what .NET
/// takes for <see cref="FileShare.None"/> on Linux) on <c>ROOT/.NAME.lock</c>, held for the whole command. A second
/// command fails at once with a one-line error instead of interleaving namespace and rule changes. The lock file
/// is removed on release when the lab no longer exists, so <c>down</c> leaves nothing behind.
/// </summary>
public sealed class LabLock : IDisposable
{
    private readonly FileStream _file;
    private readonly string _path;
    private readonly string _labDirectory;

    private LabLock(FileStream file, string path, string labDirectory)
    {
        _file = file;
        _path = path;
        _labDirectory = labDirectory;
    }

    /// <exception cref="LabException">Another process holds the lab.</exception>
    public static LabLock Acquire(LabStore store, string lab)
    {
        ArgumentNullException.ThrowIfNull(store);
        Directory.CreateDirectory(store.Root);
        var path = Path.Combine(store.Root, $".{lab}.lock");
        try
        {
            return new LabLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), path, store.DirectoryOf(lab));
        }
        catch (IOException)
        {
            throw new LabException($"lab {lab}: another mnp lab command is running on it ({path} is locked)");
        }
    }

    public void Dispose()
    {
        if (!Directory.Exists(_labDirectory))
        {
            File.Delete(_path);
        }

        _file.Dispose();
    }
}
