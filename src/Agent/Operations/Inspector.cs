using System.Collections.Immutable;
using Mnp.Native.Backends;

namespace Mnp.Agent.Operations;

/// <summary>
/// Reads a pod's namespace and, given what the engine computes, names every difference. The backend meant to hold
/// the rules gets the rendered view compared with what it holds; the other one must hold nothing of ours (a pod
/// caught half-way between backends, or programmed by both, is drift). Unless told, the backend meant is the one
/// whose reading leaves fewer differences, iptables on a tie.
/// </summary>
public sealed class Inspector(LiveRuleReader reader)
{
    public async Task<PodInspection> InspectAsync(InspectTarget target, ExpectedRules? expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var live = await reader.ReadAsync(target.Netns, cancellationToken).ConfigureAwait(false);
        if (expected is null)
        {
            return new PodInspection(target.Pod, target.Netns.Path, live, null, null);
        }

        if (expected.Backend is { } meant)
        {
            return new PodInspection(target.Pod, target.Netns.Path, live, meant, Compare(expected, live, meant));
        }

        // Not told which backend should hold the rules: the one whose reading leaves fewer differences (iptables on a tie).
        var asIptables = Compare(expected, live, FirewallBackendKind.Iptables);
        var asNftables = Compare(expected, live, FirewallBackendKind.Nftables);
        return asNftables.Length < asIptables.Length && live.Nftables is not null
            ? new PodInspection(target.Pod, target.Netns.Path, live, FirewallBackendKind.Nftables, asNftables)
            : new PodInspection(target.Pod, target.Netns.Path, live, FirewallBackendKind.Iptables, asIptables);
    }

    /// <summary>The differences when <paramref name="active"/> should hold the rendered rules and the other backend nothing of ours.</summary>
    private static ImmutableArray<RuleDifference> Compare(ExpectedRules expected, NamespaceRules live, FirewallBackendKind active)
    {
        var other = active == FirewallBackendKind.Iptables ? FirewallBackendKind.Nftables : FirewallBackendKind.Iptables;
        var differences = ImmutableArray.CreateBuilder<RuleDifference>();
        if (live.Of(active) is { } activeView)
        {
            differences.AddRange(RuleDiff.Compare(expected.Render(active), activeView));
        }

        if (live.Of(other) is { } otherView)
        {
            differences.AddRange(RuleDiff.Compare(RuleView.Empty(other), otherView));
        }

        return differences.ToImmutable();
    }
}
