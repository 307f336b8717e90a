using Mnp.Native.Backends;

namespace Mnp.Bench;

/// <summary>One case of the peer-rate benchmark (no backend: no policy) and what its windows measured.</summary>
internal sealed class PeerRateCase(string name, IFirewallBackend? backend, int peers)
{
    public string Name { get; } = name;

    public IFirewallBackend? Backend { get; } = backend;

    public int Peers { get; } = peers;

    public List<ConnectWindow> Windows { get; } = [];

    public List<double> CommitMilliseconds { get; } = [];

    /// <summary>Entries in the server's conntrack table after each window (it was emptied before the window).</summary>
    public List<int> ConntrackAfter { get; } = [];

    /// <summary>Our rules in the server's namespace after the commit, as the backend counts them.</summary>
    public int KernelRules { get; set; }

    /// <summary>iptables only: where the client's address comes among the peer rules (it should be last).</summary>
    public string? ClientRulePosition { get; set; }
}
