using Mnp.Native.Netns;

namespace Mnp.Native.Iptables;

/// <summary>
/// The seam between the reconciler and a rule backend: make what we own in a namespace equal to a model.
/// <see cref="IptablesBackend"/> (libiptc) is the one implementation; tests substitute it.
/// </summary>
public interface IFirewallBackend
{
    /// <summary>Makes what we own in <paramref name="netns"/> equal to the two models (empty models remove everything of ours).</summary>
    Task<ApplyResult> ApplyAsync(NetnsRef netns, NetfilterTable v4, NetfilterTable v6);

    /// <summary>Reads back both families of <paramref name="table"/>.</summary>
    Task<(TableDump V4, TableDump V6)> ReadAsync(NetnsRef netns, string table = "filter");
}
