namespace Mnp.Tests.Privileged;

/// <summary>A fact that needs root, legacy x_tables and the iproute2/iptables tools; skipped with the reason otherwise.</summary>
public sealed class PrivilegedFactAttribute : FactAttribute
{
    public PrivilegedFactAttribute()
    {
        Skip = Why();
    }

    /// <summary>Why a privileged test cannot run here, or null (shared with <see cref="PrivilegedTheoryAttribute"/>).</summary>
    internal static string? Why()
    {
        if (Environment.UserName != "root" && Tmds.Linux.LibC.geteuid() != 0)
        {
            return "needs root (creates network namespaces)";
        }

        if (!File.Exists("/proc/net/ip_tables_names"))
        {
            return "legacy ip_tables not available (/proc/net/ip_tables_names missing; modprobe ip_tables)";
        }

        foreach (var tool in new[] { "ip", "iptables-legacy-save", "ip6tables-legacy-save", "iptables-legacy-restore" })
        {
            if (Sh.Find(tool) is null)
            {
                return $"{tool} not on PATH (run scripts/install-prereqs.sh)";
            }
        }

        return null;
    }
}
