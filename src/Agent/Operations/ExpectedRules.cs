using Mnp.Native.Backends;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Operations;

/// <summary>
/// What the engine computes for one pod (<see cref="Rules"/>: null when nothing of ours belongs there) with the
/// settings it compiles with, and which backend is meant to hold it (null: the one that holds rules of ours, else
/// iptables).
/// </summary>
public sealed record ExpectedRules(PodRules? Rules, PolicyOptions Options, FirewallBackendKind? Backend)
{
    /// <summary>The view <paramref name="backend"/> would hold for these rules.</summary>
    public RuleView Render(FirewallBackendKind backend)
    {
        if (backend == FirewallBackendKind.Nftables)
        {
            return RuleViews.Nftables(Rules is null ? null : NftRenderer.Render(Rules, Options), []);
        }

        return Rules is null
            ? RuleView.Empty(FirewallBackendKind.Iptables)
            : RuleViews.Iptables(TableRenderer.Render(Rules, Mnp.Policy.Netfilter.IpFamily.V4, Options), TableRenderer.Render(Rules, Mnp.Policy.Netfilter.IpFamily.V6, Options), []);
    }
}
