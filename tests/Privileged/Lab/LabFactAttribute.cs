namespace Mnp.Tests.Privileged.Lab;

/// <summary>A fact that needs root (namespaces, mounts, rtnetlink changes); skipped with the reason otherwise.</summary>
public sealed class LabFactAttribute : FactAttribute
{
    public LabFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "needs root: creates network namespaces, mounts and links";
        }
        else if (!File.Exists("/proc/self/ns/net"))
        {
            Skip = "no network namespace support (/proc/self/ns/net missing)";
        }
    }
}
