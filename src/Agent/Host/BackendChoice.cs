namespace Mnp.Agent.Host;

/// <summary><c>--backend</c>: <c>auto</c> picks iptables where the kernel has the legacy tables, nftables where it has only nf_tables.</summary>
public enum BackendChoice
{
    Auto,
    Iptables,
    Nftables,
}
