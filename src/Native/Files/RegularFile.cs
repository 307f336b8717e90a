using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Mnp.Native.Files;

/// <summary>
/// Opens only regular files, and only up to a size: the open is non-blocking (a FIFO never waits for a writer)
/// and the kind and size are read from the opened descriptor (fstat), so what is checked is what is read.
/// </summary>
public static class RegularFile
{
    /// <summary>A stream over the regular file at <paramref name="path"/> (links followed) of at most <paramref name="maxBytes"/>.</summary>
    /// <exception cref="RegularFileException">The path is missing, not a regular file, too large or cannot be opened.</exception>
    public static unsafe FileStream OpenRead(string path, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        var handle = FileDescriptors.Open(path, O_RDONLY | O_NONBLOCK, out var error);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            if (KindOf(System.Text.Encoding.UTF8.GetBytes(path + "\0")) is { } kind)
            {
                // A socket cannot be opened at all (ENXIO): say what it is rather than what open said.
                throw new RegularFileException(RegularFileProblem.NotRegular, $"{path}: is {kind}, not a regular file");
            }

            var problem = error is LinuxError.ENOENT or LinuxError.ENOTDIR or LinuxError.ELOOP ? RegularFileProblem.Missing : RegularFileProblem.Unreadable;
            throw new RegularFileException(problem, $"{path}: cannot be opened: {LinuxErrors.Describe(error)}");
        }

        try
        {
            stat st;
            if (fstat(FileDescriptors.Number(handle), &st) != 0)
            {
                throw new RegularFileException(RegularFileProblem.Unreadable, $"{path}: cannot be read: {LinuxErrors.Describe((LinuxError)errno)}");
            }

            if (!S_ISREG(st.st_mode))
            {
                throw new RegularFileException(RegularFileProblem.NotRegular, $"{path}: is {KindOf(st.st_mode)}, not a regular file");
            }

            if (st.st_size > maxBytes)
            {
                throw new RegularFileException(
                    RegularFileProblem.TooLarge, $"{path}: {(long)st.st_size} bytes is more than the {maxBytes} a file may have (the limit)");
            }

            return new FileStream(handle, FileAccess.Read, bufferSize: 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The device and inode of <paramref name="path"/> (links followed), or null when it cannot be read.</summary>
    public static unsafe (ulong Device, ulong Inode)? IdentityOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        stat st;
        fixed (byte* p = bytes)
        {
            if (stat(p, &st) != 0)
            {
                return null;
            }
        }

        return (st.st_dev, st.st_ino);
    }

    /// <summary>What a path that is not a regular file is (links followed), or null when it is regular or cannot be read.</summary>
    private static unsafe string? KindOf(byte[] nulTerminated)
    {
        stat st;
        fixed (byte* p = nulTerminated)
        {
            return stat(p, &st) == 0 && !S_ISREG(st.st_mode) ? KindOf(st.st_mode) : null;
        }
    }

    private static string KindOf(mode_t mode) =>
        S_ISDIR(mode) ? "a directory"
        : S_ISFIFO(mode) ? "a FIFO"
        : S_ISCHR(mode) ? "a character device"
        : S_ISBLK(mode) ? "a block device"
        : S_ISSOCK(mode) ? "a socket"
        : "not a file";
}
