using static Tmds.Linux.LibC;

namespace Mnp.Native.Netns;

/// <summary>
/// Named network namespaces made the way <c>ip netns add</c> makes them, without iproute2: a file under
/// <see cref="Root"/> (a shared mount point) with the namespace bind-mounted onto it. The namespace itself is born
/// on a fresh thread that calls <c>unshare(CLONE_NEWNET)</c>, bind-mounts its own <c>/proc/self/task/TID/ns/net</c>
/// and exits; that thread runs nothing else, so no other thread is ever created inside the new namespace.
/// </summary>
public sealed class NamedNetns
{
    private const string SelfNetns = "/proc/self/ns/net";
    private static readonly Lock RootGate = new();

    // The nsfs device is the kernel's one for the boot: read once.
    private static readonly Lazy<ulong> NsfsDevice = new(() => NetnsExecutor.IdentityOf(SelfNetns).Device);

    public NamedNetns(string root = NetnsRef.DefaultNamedRoot)
    {
        Root = root;
    }

    public string Root { get; }

    public NetnsRef RefOf(string name) => NetnsRef.Named(name, Root);

    /// <summary>Creates the namespace <paramref name="name"/>; fails with EEXIST when a file of that name exists.</summary>
    public NetnsRef Create(string name)
    {
        ValidateName(name);
        EnsureSharedRoot();
        var path = Path.Combine(Root, name);
        CreateEmptyFile(path);

        var error = LinuxError.None;
        var thread = new Thread(() => error = UnshareAndBind(path)) { IsBackground = true, Name = "mnp-netns-add" };
        thread.Start();
        thread.Join();
        if (error != LinuxError.None)
        {
            _ = Interop.Sys.Umount2(path, Interop.Sys.UnmountFlags.Detach);
            File.Delete(path);
            throw new IOException($"netns {name}: create failed: {LinuxErrors.Describe(error)}");
        }

        return RefOf(name);
    }

    /// <summary>Removes the namespace's mount and file; false when it did not exist. The kernel destroys the namespace (and its virtual links) once nothing else holds it.</summary>
    public bool Delete(string name)
    {
        ValidateName(name);
        var path = Path.Combine(Root, name);
        if (!File.Exists(path))
        {
            return false;
        }

        if (Interop.Sys.Umount2(path, Interop.Sys.UnmountFlags.Detach) != 0)
        {
            var error = LinuxErrors.LastPInvokeError;
            if (error != LinuxError.EINVAL)
            {
                // EINVAL: not a mount point (a file left by a failed create); anything else is real.
                throw new IOException($"netns {name}: umount failed: {LinuxErrors.Describe(error)}");
            }
        }

        File.Delete(path);
        return true;
    }

    /// <summary>
    /// True when <paramref name="name"/> is a live namespace: its file has a network namespace mounted on it. The empty
    /// file a create interrupted between <c>open</c> and the bind mount leaves (a SIGKILL) is not one: entering it
    /// fails with EINVAL. <see cref="IsTaken"/> counts it.
    /// </summary>
    public bool Exists(string name) => IsNamespaceFile(Path.Combine(Root, name));

    /// <summary>True when the name is taken at all (a live namespace or a placeholder): <see cref="Create"/> would fail with EEXIST.</summary>
    public bool IsTaken(string name) => File.Exists(Path.Combine(Root, name));

    /// <summary>Namespace files live on nsfs, one kernel-internal filesystem whose device every namespace shares.</summary>
    private static bool IsNamespaceFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            return NetnsExecutor.IdentityOf(path).Device == NsfsDevice.Value;
        }
        catch (IOException)
        {
            // Removed between the existence check and the stat.
            return false;
        }
    }

    /// <summary>The names under <see cref="Root"/>, sorted ordinally.</summary>
    public IReadOnlyList<string> List() =>
        Directory.Exists(Root)
            ? [.. Directory.EnumerateFiles(Root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name is "." or ".." || name.Length > 255)
        {
            throw new ArgumentException($"netns name '{name}' is not a valid file name", nameof(name));
        }
    }

    /// <summary>Runs on the fresh thread: returns None or an errno. Allocation-light, no logging, no tasks.</summary>
    private static LinuxError UnshareAndBind(string path)
    {
        if (unshare(CLONE_NEWNET) != 0)
        {
            return (LinuxError)errno;
        }

        var self = $"/proc/self/task/{Interop.Sys.GetTid()}/ns/net";
        return Interop.Sys.Mount(self, path, "none", Interop.Sys.MountFlags.Bind, IntPtr.Zero) == 0 ? LinuxError.None : LinuxErrors.LastPInvokeError;
    }

    private static void CreateEmptyFile(string path)
    {
        using var file = FileDescriptors.Open(path, O_RDONLY | O_CREAT | O_EXCL, out var error);
        if (file.IsInvalid)
        {
            throw new IOException($"netns {Path.GetFileName(path)}: create {path} failed: {LinuxErrors.Describe(error)}");
        }
    }

    /// <summary>Makes <see cref="Root"/> a shared mount point once, as iproute2 does, so the bind mounts propagate to other mount namespaces.</summary>
    private void EnsureSharedRoot()
    {
        lock (RootGate)
        {
            Directory.CreateDirectory(Root);
            if (Interop.Sys.Mount(string.Empty, Root, "none", Interop.Sys.MountFlags.Shared | Interop.Sys.MountFlags.Rec, IntPtr.Zero) == 0)
            {
                return;
            }

            var error = LinuxErrors.LastPInvokeError;
            if (error != LinuxError.EINVAL)
            {
                throw new IOException($"make {Root} a shared mount: {LinuxErrors.Describe(error)}");
            }

            // EINVAL: not a mount point yet. Bind it onto itself, then share it.
            if (Interop.Sys.Mount(Root, Root, "none", Interop.Sys.MountFlags.Bind | Interop.Sys.MountFlags.Rec, IntPtr.Zero) != 0
                || Interop.Sys.Mount(string.Empty, Root, "none", Interop.Sys.MountFlags.Shared | Interop.Sys.MountFlags.Rec, IntPtr.Zero) != 0)
            {
                throw new IOException($"make {Root} a shared mount: {LinuxErrors.Describe(LinuxErrors.LastPInvokeError)}");
            }
        }
    }
}
