using System.Runtime.InteropServices;

/// <summary>libc calls Tmds.LibC lacks: mount, umount2, gettid (named network namespaces).</summary>
internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary><c>MS_*</c> flags of mount(2) (linux/mount.h).</summary>
        [Flags]
        internal enum MountFlags : ulong
        {
            None = 0,
            Bind = 0x1000,
            Rec = 0x4000,
            Shared = 1 << 20,
        }

        /// <summary>Flags of umount2(2).</summary>
        [Flags]
        internal enum UnmountFlags
        {
            None = 0,
            Detach = 2,
        }

        [LibraryImport(Libraries.Libc, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Mount(string? source, string target, string? fileSystemType, MountFlags flags, IntPtr data);

        [LibraryImport(Libraries.Libc, EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Umount2(string target, UnmountFlags flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "gettid")]
        internal static partial int GetTid();
    }
}
