using System.Runtime.InteropServices;

namespace Mnp.Native.Files;

/// <summary>renameat2(2) with RENAME_EXCHANGE: two paths swap in one atomic step (tmpfs, ext4, xfs, btrfs support it).</summary>
public static partial class AtomicRename
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    /// <summary>Swaps what <paramref name="first"/> and <paramref name="second"/> name; both must exist.</summary>
    /// <exception cref="IOException">The kernel refused (the errno is in the message).</exception>
    public static void Exchange(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (RenameAt2(AtFdCwd, first, AtFdCwd, second, RenameExchange) != 0)
        {
            throw new IOException($"exchange {first} and {second}: {LinuxErrors.Describe((LinuxError)Marshal.GetLastPInvokeError())}");
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
}
