using System.Collections.Immutable;
using Mnp.Native;
using Mnp.Native.Iptables;
using Mnp.Native.Nftables;

namespace Mnp.Agent.Operations;

/// <summary>
/// Removes everything of ours from one namespace and nothing else: our <c>MNP-</c> chains and every jump to them from
/// both families' filter tables (one libiptc commit each, foreign chains and rules kept in place), and our
/// <c>inet mnp</c> table (one nf_tables batch; other tables untouched). Each backend is read again afterwards, so a
/// remnant is reported rather than assumed gone. One backend failing does not stop the other.
/// </summary>
public sealed class RuleCleaner(IptablesBackend iptables, NftablesBackend nftables)
{
    public async Task<CleanupResult> CleanAsync(InspectTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var errors = ImmutableArray.CreateBuilder<string>();
        var (chains, jumps) = (0, 0);
        try
        {
            var (v4, v6) = await iptables.ReadTablesAsync(target.Netns, cancellationToken: cancellationToken).ConfigureAwait(false);
            (chains, jumps) = Owned(v4, v6);
            if (chains + jumps > 0)
            {
                await iptables.CleanupAsync(target.Netns, cancellationToken: cancellationToken).ConfigureAwait(false);
                var after = await iptables.ReadTablesAsync(target.Netns, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (Owned(after.V4, after.V6) is { } left && left.Chains + left.Jumps > 0)
                {
                    errors.Add($"iptables: {left.Chains} chain(s) and {left.Jumps} jump(s) of ours remain");
                }
            }
        }
        catch (MnpException e)
        {
            errors.Add($"iptables: {e.Message}");
        }

        var table = false;
        try
        {
            if ((await nftables.ReadTableAsync(target.Netns, cancellationToken).ConfigureAwait(false)).Exists)
            {
                await nftables.ApplyTableAsync(target.Netns, null, cancellationToken).ConfigureAwait(false);
                table = true;
                if ((await nftables.ReadTableAsync(target.Netns, cancellationToken).ConfigureAwait(false)).Exists)
                {
                    errors.Add($"nftables: table {RuleViews.NftScope} remains");
                }
            }
        }
        catch (MnpException e)
        {
            errors.Add($"nftables: {e.Message}");
        }

        return new CleanupResult(target.Pod, target.Netns.Path, chains, jumps, table, errors.ToImmutable());
    }

    private static (int Chains, int Jumps) Owned(TableDump v4, TableDump v6) =>
        (v4.Chains.Count(c => c.IsOwned) + v6.Chains.Count(c => c.IsOwned),
         v4.Chains.Concat(v6.Chains).Where(c => c.IsBuiltin).Sum(c => c.Rules.Count(r => r.IsOwned)));
}
