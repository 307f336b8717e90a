using Mnp.Native.Backends;
using Mnp.Native.Netns;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;

namespace Mnp.Native.Nftables;

/// <summary>
/// The nftables backend: renders a pod's rules into our one <c>inet mnp</c> table (<see cref="NftRenderer"/>) and
/// commits it as one atomic nf_tables batch over netlink (no nft process, no libnftables). The socket is created
/// inside the namespace by the executor and kept for the next sync while the namespace is busy
/// (<see cref="NftSocketPool"/>); everything else runs on the caller's thread. The table-level methods are this
/// backend's own, for its tests and benchmarks; the reconciler sees only <see cref="IFirewallBackend"/>.
/// </summary>
public sealed class NftablesBackend : IFirewallBackend
{
    /// <summary>Our one transaction's scope: the inet table, both families in one batch.</summary>
    internal const string Scope = "inet " + NftTable.OwnedName;

    private readonly NftSocketPool _sockets;
    private readonly NftablesWriter _writer = new();

    public NftablesBackend(NetnsExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        _sockets = new NftSocketPool(executor);
    }

    /// <summary>Sockets kept open for namespaces synced in the last seconds (tests).</summary>
    internal int KeptSockets => _sockets.Count;

    /// <inheritdoc/>
    public FirewallBackendKind Kind => FirewallBackendKind.Nftables;

    /// <inheritdoc/>
    public async Task<BackendApplyResult> ApplyAsync(NetnsRef netns, PodRules? rules, PolicyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var table = rules is null ? null : NftRenderer.Render(rules, options);
        var result = await ApplyTableAsync(netns, table, cancellationToken).ConfigureAwait(false);
        return new BackendApplyResult(Kind, [new BackendTransaction(Scope, result.Outcome, result.Rules, result.Attempts, result.Elapsed, result.CommitTime)]);
    }

    /// <summary>Makes our table in <paramref name="netns"/> equal to <paramref name="table"/> (null removes it).</summary>
    public Task<NftApplyResult> ApplyTableAsync(NetnsRef netns, NftTable? table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(netns);
        cancellationToken.ThrowIfCancellationRequested();
        // The writer checks the model before anything is sent (and not on a no-op: what it committed was checked).
        return _sockets.UseAsync(netns, (socket, identity) => _writer.Apply(socket, identity, table));
    }

    /// <inheritdoc/>
    public async Task<OwnedRuleDump> ReadAsync(NetnsRef netns, CancellationToken cancellationToken)
    {
        var dump = await ReadTableAsync(netns, cancellationToken).ConfigureAwait(false);
        var rules = ImmutableArray.CreateBuilder<OwnedRule>();
        var containers = ImmutableArray.CreateBuilder<string>();
        if (dump.Table is { } table)
        {
            containers.Add(Scope);
            foreach (var chain in table.Chains)
            {
                for (var i = 0; i < chain.Rules.Length; i++)
                {
                    var rule = chain.Rules[i];
                    var iface = rule.Matches.FirstOrDefault(m => m.Kind is NftMatchKind.InInterface or NftMatchKind.OutInterface)?.Name;
                    var origin = rule.Comment is { } comment && !comment.StartsWith("mnp:", StringComparison.Ordinal) ? comment : null;
                    rules.Add(new OwnedRule($"{Scope}/{chain.Name}", i, NftText.Rule(rule), iface, origin));
                }
            }
        }

        return new OwnedRuleDump(Kind, containers.ToImmutable(), rules.ToImmutable(), dump.Anomalies, new ForeignSummary(dump.ForeignTables.Length, 0));
    }

    /// <summary>Reads our table (and the names of the others) in <paramref name="netns"/>.</summary>
    public async Task<NftTableDump> ReadTableAsync(NetnsRef netns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(netns);
        cancellationToken.ThrowIfCancellationRequested();
        return await _sockets.UseAsync(netns, (socket, _) => socket.ReadTable()).ConfigureAwait(false);
    }
}
