using System.Collections.Immutable;
using Mnp.Native.Backends;

namespace Mnp.Agent.Operations;

/// <summary>
/// One pod inspected: what its namespace holds, and with <c>--diff</c> which backend was compared as the active one
/// and every difference from what the engine computes (null without <c>--diff</c>). <see cref="Errors"/> names what
/// could not be read.
/// </summary>
public sealed record PodInspection(string Pod, string Netns, NamespaceRules Live, FirewallBackendKind? ComparedBackend, ImmutableArray<RuleDifference>? Differences)
{
    public ImmutableArray<string> Errors => Live.Errors;

    /// <summary>Nothing could be read, or the backend the diff needed could not be.</summary>
    public bool Failed => (Live.Iptables is null && Live.Nftables is null) || (ComparedBackend is { } b && Live.Of(b) is null);
}
