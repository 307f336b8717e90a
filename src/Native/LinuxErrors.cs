using System.Runtime.InteropServices;

namespace Mnp.Native;

/// <summary>errno values as text, e.g. <c>ENOENT (2): No such file or directory</c>.</summary>
public static class LinuxErrors
{
    /// <summary>The errno of the last P/Invoke call that sets it (<c>SetLastError = true</c>).</summary>
    public static LinuxError LastPInvokeError => (LinuxError)Marshal.GetLastPInvokeError();

    /// <summary>Name, number and the C library's message.</summary>
    public static string Describe(LinuxError errno) => $"{Name(errno)} ({(int)errno}): {Marshal.GetPInvokeErrorMessage((int)errno)}";

    /// <summary>The symbolic name (<c>ENOENT</c>), or <c>E?</c> for a value <see cref="LinuxError"/> does not name.</summary>
    public static string Name(LinuxError errno) => errno != LinuxError.None && Enum.IsDefined(errno) ? errno.ToString() : "E?";
}
