using System.Runtime.InteropServices;

namespace Mnp.Bench;

/// <summary><c>struct timespec</c> (x86-64 and arm64: two 64-bit fields).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;
}
