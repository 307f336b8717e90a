using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Mnp.Native;

/// <summary>
/// The only place that makes file descriptors. Each is owned by a SafeHandle from the moment <c>open</c> or
/// <c>socket</c> returns it, so no exception, cancellation or thread hop between making and wrapping can leak it,
/// and nothing in <c>src</c> calls <c>close</c>: the handle does, once, when disposed or finalized.
/// </summary>
public static class FileDescriptors
{
    /// <summary><c>open(2)</c> with <c>O_CLOEXEC</c>; on failure the handle is invalid and <paramref name="error"/> is errno.</summary>
    public static unsafe SafeFileHandle Open(string path, int flags, out LinuxError error, int mode = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        int fd;
        fixed (byte* p = bytes)
        {
            fd = open(p, flags | O_CLOEXEC, (mode_t)mode);
        }

        error = fd < 0 ? (LinuxError)errno : LinuxError.None;
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary><c>socket(2)</c> with <c>SOCK_CLOEXEC</c>; on failure the handle is invalid and <paramref name="error"/> is errno.</summary>
    public static SafeSocketHandle Socket(int domain, int type, int protocol, out LinuxError error)
    {
        var fd = socket(domain, type | SOCK_CLOEXEC, protocol);
        error = fd < 0 ? (LinuxError)errno : LinuxError.None;
        return new SafeSocketHandle(fd, ownsHandle: true);
    }

    /// <summary>The descriptor number, for a system call made while the caller holds <paramref name="handle"/> open.</summary>
    public static int Number(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return (int)handle.DangerousGetHandle();
    }
}
