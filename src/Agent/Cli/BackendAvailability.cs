using System.Runtime.InteropServices;

namespace Mnp.Agent.Cli;

/// <summary>Whether a firewall backend can run here, and what is missing when it cannot.</summary>
internal sealed record BackendAvailability(string Name, bool Available, string Detail)
{
    // The SONAMEs the native layer binds (Mnp.Native Interop.Libraries); only a load is tried here, no call.
    private static readonly (string Library, string Debian, string Rhel)[] IptablesLibraries =
    [
        ("libip4tc.so.2", "libip4tc2", "iptables-libs"),
        ("libip6tc.so.2", "libip6tc2", "iptables-libs"),
    ];

    public static IReadOnlyList<BackendAvailability> Probe() => Probe(CanLoad);

    /// <summary>The same, with <paramref name="canLoad"/> standing for the dynamic loader.</summary>
    internal static IReadOnlyList<BackendAvailability> Probe(Func<string, bool> canLoad) => [Iptables(canLoad), Nftables()];

    private static BackendAvailability Iptables(Func<string, bool> canLoad)
    {
        var missing = IptablesLibraries.Where(l => !canLoad(l.Library)).ToList();
        return missing.Count == 0
            ? new("iptables", true, string.Join(", ", IptablesLibraries.Select(l => l.Library)))
            : new("iptables", false, string.Join("; ", missing.Select(l => $"{l.Library} not found (install {l.Debian} on Debian, {l.Rhel} on RHEL)")));
    }

    private static BackendAvailability Nftables() => new("nftables", false, "not in this build");

    private static bool CanLoad(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }
}
