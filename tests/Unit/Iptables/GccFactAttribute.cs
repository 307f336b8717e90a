namespace Mnp.Tests.Unit.Iptables;

/// <summary>A fact that needs gcc and the iptables/kernel headers (Debian: gcc, libiptc-dev); skipped with the reason otherwise.</summary>
public sealed class GccFactAttribute : FactAttribute
{
    public static readonly string[] RequiredHeaders =
    [
        "/usr/include/libiptc/libiptc.h",
        "/usr/include/linux/netfilter_ipv4/ip_tables.h",
        "/usr/include/linux/netfilter_ipv6/ip6_tables.h",
        "/usr/include/linux/netfilter/xt_tcpudp.h",
        "/usr/include/linux/netfilter/xt_multiport.h",
        "/usr/include/linux/netfilter/xt_conntrack.h",
        "/usr/include/linux/netfilter/xt_comment.h",
    ];

    public GccFactAttribute()
    {
        if (FindGcc() is null)
        {
            Skip = "gcc not found on PATH (install gcc to check struct layouts against the C headers)";
        }
        else if (RequiredHeaders.FirstOrDefault(h => !File.Exists(h)) is { } missing)
        {
            Skip = $"header {missing} missing (install libiptc-dev and linux-libc-dev)";
        }
    }

    public static string? FindGcc() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "gcc"))
            .FirstOrDefault(File.Exists);
}
