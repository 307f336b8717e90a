using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Mnp.Native.Iptables;

/// <summary>
/// One libiptc handle of one table in the calling thread's network namespace (init → edits → commit → free).
/// Every failing call becomes an <see cref="XtablesException"/> carrying errno and <c>iptc_strerror</c>, read
/// right after the call. Callers hold <see cref="IptcLock.Gate"/> for the session's whole life.
/// </summary>
internal sealed unsafe class IptcSession : IDisposable
{
    private readonly SafeIptcHandle _handle;
    private readonly nint _raw;

    private IptcSession(IIptcLibrary library, string netns, string table, SafeIptcHandle handle)
    {
        Library = library;
        Netns = netns;
        Table = table;
        _handle = handle;
        _raw = handle.DangerousGetHandle();
    }

    public IIptcLibrary Library { get; }

    public string Netns { get; }

    public string Table { get; }

    public IpFamily Family => Library.Family;

    public static IptcSession Open(IIptcLibrary library, string netns, string table)
    {
        nint raw;
        try
        {
            raw = library.Init(table);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new NativeLibraryException(library.LibraryName, $"{(library.Family == IpFamily.V4 ? "IPv4" : "IPv6")} iptables rules in netns {netns}", e);
        }

        if (raw == 0)
        {
            throw Failure(library, netns, table, null, "init", LinuxErrors.LastPInvokeError);
        }

        return new IptcSession(library, netns, table, new SafeIptcHandle(library, raw));
    }

    public ImmutableArray<string> ChainNames()
    {
        var names = ImmutableArray.CreateBuilder<string>();
        for (var name = Library.FirstChain(_raw); name != null; name = Library.NextChain(_raw))
        {
            names.Add(Marshal.PtrToStringUTF8((nint)name)!);
        }

        return names.ToImmutable();
    }

    public bool IsBuiltin(string chain) => Library.IsBuiltin(chain, _raw);

    /// <summary>
    /// Copies the chain's entries out of handle memory at once (the pointers die on the next edit), scrubbed
    /// of kernel-owned and leftover bytes (see <see cref="EntryScrubber"/>).
    /// </summary>
    public ImmutableArray<(byte[] Entry, string Target)> Rules(string chain)
    {
        var layout = EntryLayout.For(Family);
        var rules = ImmutableArray.CreateBuilder<(byte[], string)>();
        for (var entry = Library.FirstRule(chain, _raw); entry != null; entry = Library.NextRule(entry, _raw))
        {
            var size = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(entry + layout.NextOffset, 2));
            var copy = new ReadOnlySpan<byte>(entry, size).ToArray();
            EntryScrubber.ScrubInPlace(layout, copy);
            var target = Marshal.PtrToStringUTF8((nint)Library.GetTarget(entry, _raw)) ?? "";
            rules.Add((copy, target));
        }

        return rules.ToImmutable();
    }

    /// <summary>
    /// The chain's first entry in handle memory, or null: valid only until the next edit or free, so read it
    /// at once (the in-place compare of a sync, which copies nothing out).
    /// </summary>
    public byte* FirstEntry(string chain) => Library.FirstRule(chain, _raw);

    /// <summary>The entry after <paramref name="entry"/> in the same chain, or null; same lifetime rules as <see cref="FirstEntry"/>.</summary>
    public byte* NextEntry(byte* entry) => Library.NextRule(entry, _raw);

    /// <summary>The target name libiptc gives an entry (a verdict, a chain or an extension), as UTF-8 bytes in handle memory.</summary>
    public ReadOnlySpan<byte> TargetName(byte* entry) => MemoryMarshal.CreateReadOnlySpanFromNullTerminated(Library.GetTarget(entry, _raw));

    /// <summary>An entry in handle memory as a span of its whole size (header, matches and target).</summary>
    public ReadOnlySpan<byte> EntryBytes(byte* entry)
    {
        var size = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(entry + EntryLayout.For(Family).NextOffset, 2));
        return new ReadOnlySpan<byte>(entry, size);
    }

    public void CreateChain(string chain) => Check(Library.CreateChain(chain, _raw), chain, "create_chain");

    public void DeleteChain(string chain) => Check(Library.DeleteChain(chain, _raw), chain, "delete_chain");

    public void Flush(string chain) => Check(Library.FlushEntries(chain, _raw), chain, "flush_entries");

    public void DeleteRule(string chain, int index) => Check(Library.DeleteNumEntry(chain, (uint)index, _raw), chain, "delete_num_entry");

    public void Append(string chain, byte[] entry)
    {
        fixed (byte* e = entry)
        {
            Check(Library.AppendEntry(chain, e, _raw), chain, "append_entry");
        }
    }

    public void Insert(string chain, int index, byte[] entry)
    {
        fixed (byte* e = entry)
        {
            Check(Library.InsertEntry(chain, e, (uint)index, _raw), chain, "insert_entry");
        }
    }

    public void Commit() => Check(Library.Commit(_raw), null, "commit");

    public void Dispose() => _handle.Dispose();

    private void Check(int result, string? chain, string operation)
    {
        if (result == 0)
        {
            throw Failure(Library, Netns, Table, chain, operation, LinuxErrors.LastPInvokeError);
        }
    }

    private static XtablesException Failure(IIptcLibrary library, string netns, string table, string? chain, string operation, LinuxError errno)
    {
        var message = Marshal.PtrToStringUTF8((nint)library.StrError((int)errno)) ?? "";
        return new XtablesException(netns, library.Family, table, chain, $"{library.Prefix}_{operation}", errno, message);
    }
}
