namespace Mnp.Tests.Privileged.Lab;

/// <summary>A theory that needs root (namespaces, mounts, links, iptables); skipped with the reason otherwise.</summary>
public sealed class LabTheoryAttribute : TheoryAttribute
{
    public LabTheoryAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "needs root: creates network namespaces, mounts, links and iptables rules";
        }
        else if (!File.Exists("/proc/net/ip_tables_names"))
        {
            Skip = "legacy ip_tables not available (/proc/net/ip_tables_names missing; modprobe ip_tables)";
        }
    }
}
