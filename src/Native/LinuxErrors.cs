using System.Runtime.InteropServices;

namespace Mnp.Native;

/// <summary>errno values as text, e.g. <c>ENOENT (2): No such file or directory</c>.</summary>
public static class LinuxErrors
{
    public static string Describe(int errno) => $"{Name(errno)} ({errno}): {Marshal.GetPInvokeErrorMessage(errno)}";

    public static string Name(int errno) => errno switch
    {
        1 => "EPERM",
        2 => "ENOENT",
        3 => "ESRCH",
        4 => "EINTR",
        9 => "EBADF",
        11 => "EAGAIN",
        12 => "ENOMEM",
        13 => "EACCES",
        16 => "EBUSY",
        17 => "EEXIST",
        19 => "ENODEV",
        22 => "EINVAL",
        93 => "EPROTONOSUPPORT",
        95 => "EOPNOTSUPP",
        97 => "EAFNOSUPPORT",
        _ => "E?",
    };
}
