namespace Mnp.Native.Iptables;

/// <summary>
/// A table as the kernel hands it out to <c>IPT_SO_GET_ENTRIES</c>: the entries back to back in
/// <see cref="Buffer"/> from <see cref="TableBlobLayout.EntriesHeaderSize"/>, <see cref="Size"/> bytes, and the offsets
/// (into the entries) where each hook's built-in chain starts and where its policy entry sits.
/// </summary>
internal sealed record TableBlob(byte[] Buffer, int Size, uint ValidHooks, int[] HookEntry, int[] Underflow)
{
    public Span<byte> Entries => Buffer.AsSpan(TableBlobLayout.EntriesHeaderSize, Size);

    public bool HasHook(int hook) => (ValidHooks & (1u << hook)) != 0;
}
