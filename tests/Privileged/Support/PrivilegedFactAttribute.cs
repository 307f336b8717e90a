namespace Mnp.Tests.Privileged.Support;

/// <summary>A fact that needs root and the legacy iptables tools; it skips, saying why, when either is missing.</summary>
public sealed class PrivilegedFactAttribute : FactAttribute
{
    public PrivilegedFactAttribute()
    {
        if (Environment.UserName != "root" && !IsRootByUid())
        {
            Skip = "needs root (network namespaces and iptables)";
        }
        else if (!File.Exists("/usr/sbin/iptables-legacy-restore") && !File.Exists("/sbin/iptables-legacy-restore"))
        {
            Skip = "needs iptables-legacy-restore (scripts/install-prereqs.sh)";
        }
    }

    private static bool IsRootByUid()
    {
        // /proc/self/status "Uid:" lists real, effective, saved and filesystem uids.
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                return line.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2) == "0";
            }
        }

        return false;
    }
}
