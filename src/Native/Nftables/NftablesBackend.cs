using Mnp.Native.Netns;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;

namespace Mnp.Native.Nftables;

/// <summary>
/// The nftables dataplane: one atomic nf_tables batch per pod namespace over netlink (no nft process, no
/// libnftables). The socket is created inside the namespace by the executor and closed off its thread (a close
/// after a deleting batch waits for RCU, about 16 ms).
/// </summary>
public sealed class NftablesBackend
{
    private readonly NetnsExecutor _executor;
    private readonly NftablesWriter _writer = new();

    public NftablesBackend(NetnsExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        _executor = executor;
    }

    /// <summary>Renders <paramref name="rules"/> (null or nothing governed: remove our table) and applies it.</summary>
    public Task<NftApplyResult> ApplyAsync(NetnsRef netns, PodRules? rules, PolicyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ApplyTableAsync(netns, rules is null ? null : NftRenderer.Render(rules, options), cancellationToken);
    }

    /// <summary>Makes our table in <paramref name="netns"/> equal to <paramref name="table"/> (null removes it).</summary>
    public async Task<NftApplyResult> ApplyTableAsync(NetnsRef netns, NftTable? table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(netns);
        NftablesWriter.ThrowIfInvalid(table);
        cancellationToken.ThrowIfCancellationRequested();
        using var socket = await NftSocket.OpenAsync(_executor, netns).ConfigureAwait(false);
        var identity = NetnsExecutor.IdentityOf(netns.Path);
        return _writer.Apply(socket, identity, table);
    }

    /// <summary>Reads our table (and the names of the others) in <paramref name="netns"/>.</summary>
    public async Task<NftTableDump> ReadAsync(NetnsRef netns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(netns);
        cancellationToken.ThrowIfCancellationRequested();
        using var socket = await NftSocket.OpenAsync(_executor, netns).ConfigureAwait(false);
        return socket.ReadTable();
    }
}
