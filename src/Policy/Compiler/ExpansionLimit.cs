using Mnp.Policy.Rules;

namespace Mnp.Policy.Compiler;

/// <summary>
/// How many match entries a backend without sets renders for allowances (the upper bound of the iptables
/// renderer: one entry per peer and port, plus one per except), so that one rule with thousands of ipBlocks
/// and thousands of ports cannot make millions of kernel rules. The count is backend-neutral on purpose:
/// whether a rule is refused never depends on which backend programs it.
/// </summary>
internal static class ExpansionLimit
{
    public static long Entries(List<Allowance> allowances)
    {
        long total = 0;
        foreach (var allowance in allowances)
        {
            total += Entries(allowance);
        }

        return total;
    }

    public static long Entries(Allowance allowance)
    {
        long peers = 1;
        if (!allowance.AnyPeer)
        {
            peers = 0;
            foreach (var peer in allowance.Peers)
            {
                peers += 1 + peer.Except.Length;
            }
        }

        long ports = allowance.AnyPort ? 1 : allowance.Ports.Length;
        return peers * ports;
    }
}
