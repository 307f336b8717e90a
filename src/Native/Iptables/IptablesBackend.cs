using Mnp.Native.Backends;
using Mnp.Native.Netns;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;

namespace Mnp.Native.Iptables;

/// <summary>
/// The libiptc backend: renders a pod's rules into the IPv4 and IPv6 <c>filter</c> tables (the engine's
/// <see cref="TableRenderer"/>) and applies, reads and removes our part of them in a network namespace, one
/// transaction per family, inside a <see cref="NetnsExecutor"/> job. Models are validated on the caller's
/// thread before the job starts, so a bad model writes nothing; a namespace's last validated and encoded models are kept
/// (<see cref="PreparedTableCache"/>), so a resync that renders the same models again only compares them with the kernel. The table-level methods
/// (<see cref="ApplyTablesAsync"/>, <see cref="ReadTablesAsync"/>) are this backend's own, for its tests
/// and benchmarks; the reconciler sees only <see cref="IFirewallBackend"/>.
/// </summary>
public sealed class IptablesBackend : IFirewallBackend
{
    private const string FilterTable = "filter";

    private readonly NetnsExecutor _executor;
    private readonly XtablesWriter _v4;
    private readonly XtablesWriter _v6;
    private readonly PreparedTableCache _prepared = new();

    public IptablesBackend(NetnsExecutor executor)
        : this(executor, new XtablesWriter(Ip4tcLibrary.Instance), new XtablesWriter(Ip6tcLibrary.Instance))
    {
    }

    internal IptablesBackend(NetnsExecutor executor, XtablesWriter v4, XtablesWriter v6)
    {
        ArgumentNullException.ThrowIfNull(executor);
        _executor = executor;
        _v4 = v4;
        _v6 = v6;
    }

    /// <inheritdoc/>
    public FirewallBackendKind Kind => FirewallBackendKind.Iptables;

    /// <inheritdoc/>
    public async Task<BackendApplyResult> ApplyAsync(NetnsRef netns, PodRules? rules, PolicyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var v4 = rules is null ? NetfilterTable.Empty(IpFamily.V4) : TableRenderer.Render(rules, IpFamily.V4, options);
        var v6 = rules is null ? NetfilterTable.Empty(IpFamily.V6) : TableRenderer.Render(rules, IpFamily.V6, options);
        var applied = await ApplyTablesAsync(netns, v4, v6, cancellationToken).ConfigureAwait(false);
        return new BackendApplyResult(Kind, [Transaction(applied.V4, v4), Transaction(applied.V6, v6)]);
    }

    /// <summary>Makes what we own in <paramref name="netns"/> equal to the two models; writes nothing for a family that already matches.</summary>
    public Task<ApplyResult> ApplyTablesAsync(NetnsRef netns, NetfilterTable v4, NetfilterTable v6, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(netns);
        ArgumentNullException.ThrowIfNull(v4);
        ArgumentNullException.ThrowIfNull(v6);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfWrongFamily(v4, IpFamily.V4);
        ThrowIfWrongFamily(v6, IpFamily.V6);
        var name = netns.ToString();
        var (prepared4, prepared6) = _prepared.Prepare(name, v4, v6);
        return _executor.RunAsync(netns, () => new ApplyResult(_v4.Apply(name, prepared4), _v6.Apply(name, prepared6)), cancellationToken);
    }

    /// <summary>Removes all our chains and jumps from <paramref name="table"/> of both families, in one commit each.</summary>
    public Task<ApplyResult> CleanupAsync(NetnsRef netns, string table = FilterTable, CancellationToken cancellationToken = default) =>
        ApplyTablesAsync(netns, new NetfilterTable(IpFamily.V4, table, []), new NetfilterTable(IpFamily.V6, table, []), cancellationToken);

    /// <inheritdoc/>
    public async Task<OwnedRuleDump> ReadAsync(NetnsRef netns, CancellationToken cancellationToken)
    {
        var (v4, v6) = await ReadTablesAsync(netns, FilterTable, cancellationToken).ConfigureAwait(false);
        return new OwnedRuleDump(
            Kind,
            [.. Containers(v4), .. Containers(v6)],
            [.. v4.OwnedRules, .. v6.OwnedRules],
            [.. v4.Anomalies, .. v6.Anomalies],
            new ForeignSummary(ForeignChains(v4) + ForeignChains(v6), ForeignRules(v4) + ForeignRules(v6)));
    }

    /// <summary>Reads <paramref name="table"/> of both families: our part as a model plus a summary of everything.</summary>
    public Task<(TableDump V4, TableDump V6)> ReadTablesAsync(NetnsRef netns, string table = FilterTable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(netns);
        var name = netns.ToString();
        return _executor.RunAsync(netns, () => (_v4.Read(name, table), _v6.Read(name, table)), cancellationToken);
    }

    private static BackendTransaction Transaction(FamilyApplyResult result, NetfilterTable desired) =>
        new($"{TableDump.FamilyName(result.Family)} {result.Table}", result.Outcome, desired.Chains.Sum(c => c.Rules.Length), result.Attempts, result.Elapsed, result.CommitTime);

    private static IEnumerable<string> Containers(TableDump dump) =>
        dump.Chains.Where(c => c.IsOwned).Select(c => dump.Location(c.Name));

    private static int ForeignChains(TableDump dump) => dump.Chains.Count(c => !c.IsBuiltin && !c.IsOwned);

    private static int ForeignRules(TableDump dump) => dump.Chains.Sum(c => c.Rules.Count(r => !r.IsOwned));

    private static void ThrowIfWrongFamily(NetfilterTable table, IpFamily expected)
    {
        if (table.Family != expected)
        {
            throw new ArgumentException($"table {table.Name} is {table.Family}, expected {expected}", nameof(table));
        }
    }
}
