using System.Collections.Immutable;
using Mnp.Native;
using Mnp.Native.Backends;
using Mnp.Native.Iptables;
using Mnp.Native.Netns;
using Mnp.Native.Nftables;

namespace Mnp.Agent.Operations;

/// <summary>
/// Reads a namespace through the native readers of both backends (libiptc for the legacy filter tables, nf_tables
/// netlink for our table), never by running a program. A backend that cannot be read (a missing library, a kernel
/// without the legacy tables) is reported, and the other is still read.
/// </summary>
public sealed class LiveRuleReader(IptablesBackend iptables, NftablesBackend nftables)
{
    public async Task<NamespaceRules> ReadAsync(NetnsRef netns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(netns);
        var errors = ImmutableArray.CreateBuilder<string>();
        RuleView? legacy = null;
        var foreign = ForeignSummary.None;
        try
        {
            var (v4, v6) = await iptables.ReadTablesAsync(netns, cancellationToken: cancellationToken).ConfigureAwait(false);
            legacy = RuleViews.Iptables(v4, v6);
            foreign = new ForeignSummary(
                v4.Chains.Count(c => !c.IsBuiltin && !c.IsOwned) + v6.Chains.Count(c => !c.IsBuiltin && !c.IsOwned),
                v4.Chains.Sum(c => c.Rules.Count(r => !r.IsOwned)) + v6.Chains.Sum(c => c.Rules.Count(r => !r.IsOwned)));
        }
        catch (MnpException e) when (e is not NetnsException)
        {
            errors.Add($"iptables: {e.Message}");
        }

        RuleView? nft = null;
        var foreignTables = ImmutableArray<string>.Empty;
        try
        {
            var dump = await nftables.ReadTableAsync(netns, cancellationToken).ConfigureAwait(false);
            nft = RuleViews.Nftables(dump);
            foreignTables = dump.ForeignTables;
        }
        catch (MnpException e) when (e is not NetnsException)
        {
            errors.Add($"nftables: {e.Message}");
        }

        return new NamespaceRules(legacy, nft, foreign, foreignTables, errors.ToImmutable());
    }
}
