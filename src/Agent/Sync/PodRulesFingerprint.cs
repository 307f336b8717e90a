using System.Text;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Sync;

/// <summary>
/// What a pod's rules would be in the kernel, as one comparable value: both families rendered as iptables-save text.
/// Two equal fingerprints mean an identical commit, so the sync writes nothing for a pod whose fingerprint equals
/// the last one committed. No rules (not governed) is the empty string.
/// </summary>
public sealed record PodRulesFingerprint(string Text, int Chains)
{
    public static PodRulesFingerprint None { get; } = new(string.Empty, 0);

    public static PodRulesFingerprint Of(PodRules? rules, PolicyOptions options)
    {
        if (rules is null)
        {
            return None;
        }

        var v4 = TableRenderer.Render(rules, IpFamily.V4, options);
        var v6 = TableRenderer.Render(rules, IpFamily.V6, options);
        var text = new StringBuilder().Append(IptablesSaveWriter.Write(v4)).Append(IptablesSaveWriter.Write(v6)).ToString();
        return new PodRulesFingerprint(text, Owned(v4) + Owned(v6));
    }

    private static int Owned(NetfilterTable table) => table.Chains.Count(c => ChainNames.IsOwned(c.Name));
}
