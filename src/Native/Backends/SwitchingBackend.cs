using Mnp.Native.Netns;
using Mnp.Policy.Rules;

namespace Mnp.Native.Backends;

/// <summary>
/// Moves pods from one backend to another in the same sync: every apply commits <paramref name="active"/> first
/// (the pod's new rules are in force), then removes everything of ours that <paramref name="retired"/> still holds
/// there (a no-op once it holds nothing). With both present the effective policy is their intersection, so the
/// pod is never more open than either; reads come from the active backend.
/// </summary>
public sealed class SwitchingBackend(IFirewallBackend active, IFirewallBackend retired) : IFirewallBackend
{
    /// <inheritdoc/>
    public FirewallBackendKind Kind => active.Kind;

    /// <inheritdoc/>
    public async Task<BackendApplyResult> ApplyAsync(NetnsRef netns, PodRules? rules, PolicyOptions options, CancellationToken cancellationToken)
    {
        var applied = await active.ApplyAsync(netns, rules, options, cancellationToken).ConfigureAwait(false);
        var removed = await retired.ApplyAsync(netns, null, options, cancellationToken).ConfigureAwait(false);
        return applied with { Transactions = [.. applied.Transactions, .. removed.Transactions] };
    }

    /// <inheritdoc/>
    public Task<OwnedRuleDump> ReadAsync(NetnsRef netns, CancellationToken cancellationToken) => active.ReadAsync(netns, cancellationToken);
}
