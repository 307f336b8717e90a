using System.Text;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;

namespace Mnp.Policy.Rendering;

/// <summary>
/// Renders one pod's compiled rules into the part of the <c>filter</c> table we own, for one family.
/// Layout: INPUT <c>-i IF -j MNP-IN-IF</c> per ingress-isolated interface, OUTPUT <c>-o IF -j MNP-EG-IF</c>
/// per egress-isolated one; each direction chain accepts replies, (v6) neighbour discovery, optional ICMP,
/// then one entry per allowance (a direct ACCEPT, or a jump to <c>MNP-xx-IF/k</c>), then DROP (names: <see cref="ChainNaming"/>). A peer with
/// <c>except</c> gets a chain that RETURNs on each except before accepting, so except narrows only its block.
/// </summary>
public static class TableRenderer
{
    private const int MaxCommentBytes = 255;

    public static NetfilterTable Render(PodRules pod, IpFamily family, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        var input = new List<NetfilterRule>();
        var output = new List<NetfilterRule>();
        var owned = new List<NetfilterChain>();
        var sorted = pod.Interfaces.OrderBy(i => i.Interface, StringComparer.Ordinal).ToList();
        for (var index = 0; index < sorted.Count; index++)
        {
            var iface = sorted[index];
            if (iface.Ingress.Isolated)
            {
                var chain = ChainNaming.For(ChainNaming.IngressTag, iface.Interface, index);
                input.Add(new NetfilterRule(RuleTarget.JumpTo(chain)) { InInterface = iface.Interface });
                new DirectionChainWriter(iface.Interface, index, Direction.Ingress, family, options, owned).Write(chain, iface.Ingress);
            }

            if (iface.Egress.Isolated)
            {
                var chain = ChainNaming.For(ChainNaming.EgressTag, iface.Interface, index);
                output.Add(new NetfilterRule(RuleTarget.JumpTo(chain)) { OutInterface = iface.Interface });
                new DirectionChainWriter(iface.Interface, index, Direction.Egress, family, options, owned).Write(chain, iface.Egress);
            }
        }

        // The kernel matches our names exactly, so the order of the jumps does not matter there. In the text,
        // iptables-restore would read a name ending in '+' as a wildcard: those jumps go last (longest first),
        // so a restored script can only send other interfaces' packets into a chain ending in DROP, never
        // past their own chain (narrower, never wider).
        input.Sort(WildcardLookalikesLast(r => r.InInterface!));
        output.Sort(WildcardLookalikesLast(r => r.OutInterface!));

        if (owned.Count == 0)
        {
            return NetfilterTable.Empty(family);
        }

        var chains = ImmutableArray.CreateBuilder<NetfilterChain>();
        if (input.Count > 0)
        {
            chains.Add(new NetfilterChain("INPUT", [.. input]));
        }

        if (output.Count > 0)
        {
            chains.Add(new NetfilterChain("OUTPUT", [.. output]));
        }

        owned.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        chains.AddRange(owned);
        return new NetfilterTable(family, "filter", chains.ToImmutable());
    }

    /// <summary>
    /// The number of our chains <see cref="Render"/> gives for <paramref name="pod"/> in <paramref name="family"/>, counted
    /// without rendering (the agent's managed-chains gauge reads it for every pod it commits).
    /// </summary>
    public static int OwnedChainCount(PodRules pod, IpFamily family)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var count = 0;
        foreach (var iface in pod.Interfaces)
        {
            count += (iface.Ingress.Isolated ? DirectionChainWriter.ChainCount(iface.Ingress, family) : 0)
                + (iface.Egress.Isolated ? DirectionChainWriter.ChainCount(iface.Egress, family) : 0);
        }

        return count;
    }

    private static Comparison<NetfilterRule> WildcardLookalikesLast(Func<NetfilterRule, string> name) => (a, b) =>
    {
        var (x, y) = (name(a), name(b));
        var (xPlus, yPlus) = (x.EndsWith('+'), y.EndsWith('+'));
        return xPlus != yPlus ? xPlus.CompareTo(yPlus)
            : xPlus && Encoding.UTF8.GetByteCount(x) != Encoding.UTF8.GetByteCount(y) ? Encoding.UTF8.GetByteCount(y).CompareTo(Encoding.UTF8.GetByteCount(x))
            : string.CompareOrdinal(x, y);
    };

    /// <summary>
    /// The rule comment for an allowance: its origin with control characters shown as <c>?</c> (a newline in a
    /// name would otherwise end the line of a restore script), cut to 255 UTF-8 bytes on a character boundary.
    /// </summary>
    public static string Comment(RuleOrigin origin)
    {
        var raw = origin.ToString();
        var text = string.Create(raw.Length, raw, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) || source[i] is '\u2028' or '\u2029' ? '?' : source[i];
            }
        });
        if (Encoding.UTF8.GetByteCount(text) <= MaxCommentBytes)
        {
            return text;
        }

        var length = text.Length;
        while (Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > MaxCommentBytes || char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }
}
