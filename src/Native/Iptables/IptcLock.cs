namespace Mnp.Native.Iptables;

/// <summary>
/// libiptc keeps global state (the last function called, read by <c>iptc_strerror</c>) and is not
/// thread-safe, so every libiptc call in the process runs under this one lock.
/// </summary>
internal static class IptcLock
{
    public static readonly Lock Gate = new();
}
