using System.Collections.Immutable;

namespace Mnp.Agent.Operations;

/// <summary>What cleanup removed from one pod's namespace (iptables chains and jumps of ours, our nftables table) and what failed.</summary>
public sealed record CleanupResult(string Pod, string Netns, int Chains, int Jumps, bool NftTable, ImmutableArray<string> Errors)
{
    public bool RemovedAnything => Chains > 0 || Jumps > 0 || NftTable;

    public override string ToString()
    {
        var removed = new List<string>();
        if (Chains > 0 || Jumps > 0)
        {
            removed.Add($"{Chains} chain(s) and {Jumps} jump(s) of ours (iptables)");
        }

        if (NftTable)
        {
            removed.Add($"table {RuleViews.NftScope} (nftables)");
        }

        var what = removed.Count == 0 ? "nothing of ours" : "removed " + string.Join(", ", removed);
        return Errors.IsEmpty ? $"{Pod}: {what}" : $"{Pod}: {what}; failed: {string.Join("; ", Errors)}";
    }
}
