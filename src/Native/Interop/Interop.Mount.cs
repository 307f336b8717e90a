using System.Runtime.InteropServices;

namespace Mnp.Native.Interop;

/// <summary>libc calls Tmds.LibC lacks: mount, umount2, gettid (named network namespaces).</summary>
internal static partial class Interop
{
    internal const ulong MsBind = 0x1000;
    internal const ulong MsRec = 0x4000;
    internal const ulong MsShared = 1 << 20;
    internal const int MntDetach = 2;

    [LibraryImport(Libraries.Libc, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string? source, string target, string? fileSystemType, ulong flags, IntPtr data);

    [LibraryImport(Libraries.Libc, EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Umount2(string target, int flags);

    [LibraryImport(Libraries.Libc, EntryPoint = "gettid")]
    internal static partial int GetTid();
}
