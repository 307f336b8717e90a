using Microsoft.Win32.SafeHandles;

namespace Mnp.Native.Iptables;

/// <summary>An <c>xtc_handle</c> from <c>iptc_init</c>/<c>ip6tc_init</c>; released with the family's <c>*_free</c>.</summary>
internal sealed class SafeIptcHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly IIptcLibrary _library;

    public SafeIptcHandle(IIptcLibrary library, nint handle)
        : base(ownsHandle: true)
    {
        _library = library;
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        // iptc_free touches libiptc's globals: hold the same lock as every other call.
        lock (IptcLock.Gate)
        {
            _library.Free(handle);
        }

        return true;
    }
}
