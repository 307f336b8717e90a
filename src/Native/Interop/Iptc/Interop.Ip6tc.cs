using System.Runtime.InteropServices;

/// <summary>
/// libip6tc (IPv6 x_tables through libiptc). Not thread-safe: callers hold <see cref="Mnp.Native.Iptables.IptcLock"/>.
/// The iterators (first/next chain and rule, get_target) do not set the last error: a null from them means
/// "no more" and nobody reads errno after them, so they skip the errno save on the hottest calls.
/// </summary>
internal static partial class Interop
{
    internal static unsafe partial class Ip6tc
    {
        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_init", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial nint Init(string table);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_free")]
        internal static partial void Free(nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_first_chain")]
        internal static partial byte* FirstChain(nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_next_chain")]
        internal static partial byte* NextChain(nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_first_rule", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial byte* FirstRule(string chain, nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_next_rule")]
        internal static partial byte* NextRule(byte* previous, nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_get_target")]
        internal static partial byte* GetTarget(byte* entry, nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_builtin", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Builtin(string chain, nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_create_chain", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int CreateChain(string chain, nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_delete_chain", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int DeleteChain(string chain, nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_flush_entries", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int FlushEntries(string chain, nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_append_entry", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int AppendEntry(string chain, byte* entry, nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_insert_entry", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int InsertEntry(string chain, byte* entry, uint ruleNumber, nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_delete_num_entry", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int DeleteNumEntry(string chain, uint ruleNumber, nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_commit", SetLastError = true)]
        internal static partial int Commit(nint handle);

        [LibraryImport(Libraries.Ip6tc, EntryPoint = "ip6tc_strerror")]
        internal static partial byte* StrError(int errno);
    }
}
