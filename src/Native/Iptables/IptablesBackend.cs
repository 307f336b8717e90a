using Mnp.Native.Netns;

namespace Mnp.Native.Iptables;

/// <summary>
/// The entry point the agent and the lab use: applies, reads and removes our iptables rules in a network
/// namespace through libiptc (IPv4 and IPv6), one transaction per family, inside a <see cref="NetnsExecutor"/> job.
/// Models are validated on the caller's thread before the job starts, so a bad model writes nothing.
/// </summary>
public sealed class IptablesBackend : IFirewallBackend
{
    private readonly NetnsExecutor _executor;
    private readonly XtablesWriter _v4;
    private readonly XtablesWriter _v6;

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

    /// <summary>Makes what we own in <paramref name="netns"/> equal to the two models; writes nothing for a family that already matches.</summary>
    public Task<ApplyResult> ApplyAsync(NetnsRef netns, NetfilterTable v4, NetfilterTable v6)
    {
        ArgumentNullException.ThrowIfNull(netns);
        ArgumentNullException.ThrowIfNull(v4);
        ArgumentNullException.ThrowIfNull(v6);
        ThrowIfWrongFamily(v4, IpFamily.V4);
        ThrowIfWrongFamily(v6, IpFamily.V6);
        RuleValidator.ThrowIfInvalid(v4);
        RuleValidator.ThrowIfInvalid(v6);
        var (prepared4, prepared6) = (XtablesWriter.Prepare(v4), XtablesWriter.Prepare(v6));
        var name = netns.ToString();
        return _executor.RunAsync(netns, () => new ApplyResult(_v4.Apply(name, prepared4), _v6.Apply(name, prepared6)));
    }

    /// <summary>Removes all our chains and jumps from <paramref name="table"/> of both families, in one commit each.</summary>
    public Task<ApplyResult> CleanupAsync(NetnsRef netns, string table = "filter") =>
        ApplyAsync(netns, new NetfilterTable(IpFamily.V4, table, []), new NetfilterTable(IpFamily.V6, table, []));

    /// <summary>Reads <paramref name="table"/> of both families: our part as a model plus a summary of everything.</summary>
    public Task<(TableDump V4, TableDump V6)> ReadAsync(NetnsRef netns, string table = "filter")
    {
        ArgumentNullException.ThrowIfNull(netns);
        var name = netns.ToString();
        return _executor.RunAsync(netns, () => (_v4.Read(name, table), _v6.Read(name, table)));
    }

    private static void ThrowIfWrongFamily(NetfilterTable table, IpFamily expected)
    {
        if (table.Family != expected)
        {
            throw new ArgumentException($"table {table.Name} is {table.Family}, expected {expected}", nameof(table));
        }
    }
}
