using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Sync;

/// <summary>
/// What a pod's rules would be in the kernel, as one comparable value: both families rendered as table models
/// (compared structurally, rule by rule). Two equal fingerprints mean an identical commit, so the sync writes nothing
/// for a pod whose fingerprint equals the last one committed. No rules (not governed) is <see cref="None"/>.
/// </summary>
public sealed record PodRulesFingerprint(NetfilterTable V4, NetfilterTable V6)
{
    public static PodRulesFingerprint None { get; } = new(NetfilterTable.Empty(IpFamily.V4), NetfilterTable.Empty(IpFamily.V6));

    /// <summary>Our chains in both families.</summary>
    public int Chains => Owned(V4) + Owned(V6);

    public static PodRulesFingerprint Of(PodRules? rules, PolicyOptions options) =>
        rules is null ? None : new(TableRenderer.Render(rules, IpFamily.V4, options), TableRenderer.Render(rules, IpFamily.V6, options));

    private static int Owned(NetfilterTable table) => table.Chains.Count(c => ChainNames.IsOwned(c.Name));
}
