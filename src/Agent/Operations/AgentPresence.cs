using Mnp.Agent.Lab;

namespace Mnp.Agent.Operations;

/// <summary>
/// How <c>mnp cleanup</c> knows an agent runs on the node: the agent holds an exclusive advisory lock (flock, what
/// .NET takes for <see cref="FileShare.None"/> on Linux) on <c>HOST_PREFIX/run/mnp/agent.lock</c> (a lab agent:
/// <c>/run/mnp/lab/.NAME.agent.lock</c>) for its whole life; the kernel drops it when the process dies, however it
/// dies, so a stale file never blocks. A second agent on the same node refuses to start, since two writers would
/// fight over every pod. The DaemonSet mounts the host's <c>/run/mnp</c>, so the lock is shared with host tools.
/// </summary>
public sealed class AgentPresence : IDisposable
{
    private readonly FileStream _file;

    private AgentPresence(FileStream file, string path)
    {
        _file = file;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The lock file of the agent of a lab (<paramref name="lab"/>) or of the node under <paramref name="hostPrefix"/>.</summary>
    public static string PathFor(string? lab, string hostPrefix, string labRoot = LabStore.DefaultRoot) =>
        lab is not null ? System.IO.Path.Combine(labRoot, $".{lab}.agent.lock") : $"{hostPrefix}/run/mnp/agent.lock";

    /// <summary>Takes the lock for this process's lifetime.</summary>
    /// <exception cref="AgentPresenceException">Another agent holds it, or it cannot be created.</exception>
    public static AgentPresence Acquire(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new AgentPresence(file, path);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new AgentPresenceException($"another mnp agent runs on this node: it holds {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgentPresenceException($"{path}: cannot create the agent's lock file: {e.Message}");
        }
    }

    /// <summary>True while some process holds the lock at <paramref name="path"/>.</summary>
    public static bool IsHeld(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            // Opening without creating: no file, no agent. The probe holds the lock for an instant only.
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _file.Dispose();
}
