using System.Runtime.CompilerServices;

namespace Mnp.Native.Iptables;

/// <summary>
/// Compares a scrubbed kernel entry with ours on raw bytes, without decoding: they are byte-equal except for
/// the fields the kernel or libiptc own (comefrom, counters, the target, which becomes a verdict or a jump
/// offset; <see cref="KernelScan"/> compares its name instead).
/// </summary>
internal static class RawComparer
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool SameEntry(EntryLayout layout, ReadOnlySpan<byte> kernel, ReadOnlySpan<byte> ours)
    {
        if (kernel.Length != ours.Length)
        {
            return false;
        }

        var targetOffset = ours.Length - XtLayout.StandardTargetSize;
        return kernel[..layout.Comefrom].SequenceEqual(ours[..layout.Comefrom])
            && kernel[layout.Size..targetOffset].SequenceEqual(ours[layout.Size..targetOffset]);
    }
}
