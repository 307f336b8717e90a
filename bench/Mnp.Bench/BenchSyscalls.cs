using System.Runtime.InteropServices;

namespace Mnp.Bench;

/// <summary>
/// The few libc calls the peer-rate benchmark makes directly: sockets without a managed <c>Socket</c> per connection
/// (no allocation, so no garbage collection pauses both threads in the middle of a window), thread CPU placement and
/// thread CPU time. Bench only; <c>src</c> keeps its own rules for descriptors.
/// </summary>
internal static unsafe partial class BenchSyscalls
{
    public const int AfInet = 2;
    public const int SockStream = 1;
    public const int SockCloexec = 0x80000;
    public const int SolSocket = 1;
    public const int SoLinger = 13;
    public const int ShutReadWrite = 2;
    public const int ClockThreadCpuTime = 3;

    private const string Libc = "libc";

    [LibraryImport(Libc, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Libc, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSocketOption(int fd, int level, int name, void* value, uint length);

    [LibraryImport(Libc, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, SocketAddressIn* address, uint length);

    [LibraryImport(Libc, EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, SocketAddressIn* address, uint length);

    [LibraryImport(Libc, EntryPoint = "listen", SetLastError = true)]
    public static partial int Listen(int fd, int backlog);

    [LibraryImport(Libc, EntryPoint = "accept4", SetLastError = true)]
    public static partial int Accept(int fd, void* address, void* length, int flags);

    [LibraryImport(Libc, EntryPoint = "shutdown", SetLastError = true)]
    public static partial int Shutdown(int fd, int how);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "sched_setaffinity", SetLastError = true)]
    public static partial int SetAffinity(int threadId, nuint size, ulong* mask);

    [LibraryImport(Libc, EntryPoint = "sched_getaffinity", SetLastError = true)]
    public static partial int GetAffinity(int threadId, nuint size, ulong* mask);

    [LibraryImport(Libc, EntryPoint = "clock_gettime", SetLastError = true)]
    public static partial int ClockGetTime(int clock, TimeSpec* time);

    /// <summary>Throws with the call's name and errno when <paramref name="result"/> is negative.</summary>
    public static int Check(int result, string call) =>
        result >= 0 ? result : throw new IOException($"{call}: errno {Marshal.GetLastPInvokeError()} ({Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())})");

    /// <summary>The calling thread's CPU time (user and system, softirq work done on its behalf included: this kernel has no IRQ time accounting).</summary>
    public static TimeSpan ThreadCpuTime()
    {
        TimeSpec time;
        Check(ClockGetTime(ClockThreadCpuTime, &time), "clock_gettime");
        return TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100));
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/> and returns the mask it had (for <see cref="RestoreAffinity"/>).</summary>
    public static ulong PinCurrentThread(int cpu)
    {
        ulong previous;
        Check(GetAffinity(0, sizeof(ulong), &previous), "sched_getaffinity");
        var pinned = 1UL << cpu;
        Check(SetAffinity(0, sizeof(ulong), &pinned), "sched_setaffinity");
        return previous;
    }

    public static void RestoreAffinity(ulong mask) => Check(SetAffinity(0, sizeof(ulong), &mask), "sched_setaffinity");
}
