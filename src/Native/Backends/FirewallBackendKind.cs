namespace Mnp.Native.Backends;

/// <summary>The kernel interfaces a backend can write.</summary>
public enum FirewallBackendKind
{
    /// <summary>Legacy x_tables through libiptc (IPv4 and IPv6 <c>filter</c> tables).</summary>
    Iptables,

    /// <summary>nf_tables over netlink (one <c>inet</c> table of ours).</summary>
    Nftables,
}
