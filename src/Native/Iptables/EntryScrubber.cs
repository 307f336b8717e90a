using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Mnp.Native.Iptables;

/// <summary>
/// Makes an entry read back from the kernel comparable byte for byte: the kernel copies match and target
/// names only up to their NUL, so the rest of each name field is whatever was in libiptc's buffer; comefrom
/// and the counters belong to the kernel. Those bytes are zeroed, as the encoder writes them.
/// </summary>
internal static class EntryScrubber
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScrubInPlace(EntryLayout layout, Span<byte> entry)
    {
        entry[layout.Comefrom..layout.Size].Clear();
        var targetOffset = BinaryPrimitives.ReadUInt16LittleEndian(entry[layout.TargetOffset..]);
        var offset = layout.Size;
        while (offset + XtLayout.HeaderSize <= entry.Length)
        {
            var size = offset >= targetOffset ? entry.Length - offset : BinaryPrimitives.ReadUInt16LittleEndian(entry[offset..]);
            if (size < XtLayout.HeaderSize || offset + size > entry.Length)
            {
                return;
            }

            var name = entry.Slice(offset + XtLayout.NameOffset, XtLayout.NameLength);
            var end = name.IndexOf((byte)0);
            if (end >= 0)
            {
                name[end..].Clear();
            }

            offset += size;
        }
    }
}
