using System.Collections.Immutable;
using Mnp.Native.Backends;

namespace Mnp.Agent.Operations;

/// <summary>
/// What one pod namespace holds, read through both backends' native readers: our part of each (null when that
/// backend could not be read, with the reason in <see cref="Errors"/>) and a count of what is not ours.
/// </summary>
public sealed record NamespaceRules(RuleView? Iptables, RuleView? Nftables, ForeignSummary IptablesForeign, ImmutableArray<string> ForeignTables, ImmutableArray<string> Errors)
{
    public RuleView? Of(FirewallBackendKind backend) => backend == FirewallBackendKind.Iptables ? Iptables : Nftables;
}
