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

    public static IReadOnlyList<BackendAvailability> Probe() => Probe(CanLoad, HasLegacyTables());

    /// <summary>The same, with <paramref name="canLoad"/> standing for the dynamic loader and <paramref name="legacyTables"/> for the kernel check.</summary>
    internal static IReadOnlyList<BackendAvailability> Probe(Func<string, bool> canLoad, bool legacyTables) => [Iptables(canLoad, legacyTables), Nftables()];

    private static BackendAvailability Iptables(Func<string, bool> canLoad, bool legacyTables)
    {
        var missing = IptablesLibraries.Where(l => !canLoad(l.Library))
            .Select(l => $"{l.Library} not found (install {l.Debian} on Debian, {l.Rhel} on RHEL)")
            .ToList();
        if (!legacyTables)
        {
            missing.Add("the kernel has no legacy ip_tables (modprobe ip_tables ip6_tables)");
        }

        return missing.Count == 0
            ? new("iptables", true, string.Join(", ", IptablesLibraries.Select(l => l.Library)) + ", kernel ip_tables")
            : new("iptables", false, string.Join("; ", missing));
    }

    // The same test the agent's --backend auto makes: the table list exists once ip_tables is loaded or built in.
    private static bool HasLegacyTables() => File.Exists("/proc/net/ip_tables_names") || Directory.Exists("/sys/module/ip_tables");

    // nf_tables is reached over netlink, no library; a built-in nf_tables leaves no trace in /sys/module, so
    // only a netlink request could tell, and version makes none.
    private static BackendAvailability Nftables() => new("nftables", true, "netlink, no library; needs a kernel with nf_tables (not checked)");

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
