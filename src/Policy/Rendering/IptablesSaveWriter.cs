using System.Text;
using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Rendering;

/// <summary>
/// Prints a table exactly as <c>iptables-legacy-save</c> / <c>ip6tables-legacy-save</c> (1.8.9) print it in an
/// otherwise empty namespace, without the <c>#</c> lines and with zero counters: built-in chains in kernel
/// order, then user chains sorted by name (libiptc keeps them sorted), then the rules of each chain in the
/// same order. The output is also valid <c>iptables-restore</c> input.
/// </summary>
public static class IptablesSaveWriter
{
    public static string Write(NetfilterTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder();
        text.Append('*').Append(table.Name).Append('\n');
        var ordered = OrderedChains(table);
        foreach (var chain in ordered)
        {
            text.Append(':').Append(chain.Name).Append(chain.IsBuiltin ? " ACCEPT" : " -").Append(" [0:0]\n");
        }

        foreach (var chain in ordered)
        {
            foreach (var rule in chain.Rules)
            {
                WriteRule(text, chain.Name, rule, table.Family);
            }
        }

        text.Append("COMMIT\n");
        return text.ToString();
    }

    /// <summary>One rule as the save tool prints it, without the <c>-A CHAIN</c> prefix.</summary>
    public static string FormatRule(NetfilterRule rule, IpFamily family)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var text = new StringBuilder();
        WriteMatches(text, rule, family);
        text.Append(" -j ").Append(rule.Target.Name);
        return text.ToString(1, text.Length - 1);
    }

    private static List<NetfilterChain> OrderedChains(NetfilterTable table)
    {
        var byName = new Dictionary<string, NetfilterChain>(StringComparer.Ordinal);
        foreach (var chain in table.Chains)
        {
            byName[chain.Name] = chain;
        }

        var ordered = new List<NetfilterChain>();
        foreach (var builtin in ChainNames.BuiltinsOf(table.Name))
        {
            ordered.Add(byName.TryGetValue(builtin, out var chain) ? chain : new NetfilterChain(builtin, []));
        }

        var user = table.Chains.Where(c => !ChainNames.IsBuiltin(c.Name)).ToList();
        user.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        ordered.AddRange(user);
        return ordered;
    }

    private static void WriteRule(StringBuilder text, string chain, NetfilterRule rule, IpFamily family)
    {
        text.Append("-A ").Append(chain);
        WriteMatches(text, rule, family);
        text.Append(" -j ").Append(rule.Target.Name).Append('\n');
    }

    private static void WriteMatches(StringBuilder text, NetfilterRule rule, IpFamily family)
    {
        if (rule.Source is { } source)
        {
            text.Append(" -s ").Append(source.ToString());
        }

        if (rule.Destination is { } destination)
        {
            text.Append(" -d ").Append(destination.ToString());
        }

        if (rule.InInterface is not null)
        {
            text.Append(" -i ").Append(IptablesText.Interface(rule.InInterface));
        }

        if (rule.OutInterface is not null)
        {
            text.Append(" -o ").Append(IptablesText.Interface(rule.OutInterface));
        }

        if (rule.Protocol is { } protocol)
        {
            text.Append(" -p ").Append(IptablesText.ProtocolName((int)protocol));
        }

        if (rule.CtState != ConntrackStates.None)
        {
            text.Append(" -m conntrack --ctstate ").Append(IptablesText.StateNames(rule.CtState));
        }

        if (rule.Icmp is { } icmp)
        {
            text.Append(family == IpFamily.V4 ? " -m icmp --icmp-type " : " -m icmp6 --icmpv6-type ").Append(IptablesText.IcmpType(icmp));
        }

        WritePorts(text, rule);
        if (rule.Comment is not null)
        {
            text.Append(" -m comment --comment ").Append(IptablesText.SaveString(rule.Comment));
        }
    }

    private static void WritePorts(StringBuilder text, NetfilterRule rule)
    {
        if (rule.DestinationPorts.IsDefaultOrEmpty)
        {
            return;
        }

        if (!rule.UsesMultiport)
        {
            var module = rule.Protocol == NetfilterProtocol.Udp ? "udp" : "tcp";
            text.Append(" -m ").Append(module).Append(" --dport ").Append(IptablesText.Port(rule.DestinationPorts[0].From, rule.DestinationPorts[0].To));
            return;
        }

        text.Append(" -m multiport --dports ");
        for (var i = 0; i < rule.DestinationPorts.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(IptablesText.Port(rule.DestinationPorts[i].From, rule.DestinationPorts[i].To));
        }
    }
}
