using System.Globalization;
using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Rendering;

/// <summary>The words iptables-save uses for protocols, conntrack states and ports; shared by the writer and the native reader.</summary>
public static class IptablesText
{
    public static string Port(int from, int to) =>
        from == to ? from.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{from}:{to}");

    public static string ProtocolName(int protocol) => protocol switch
    {
        (int)NetfilterProtocol.Icmp => "icmp",
        (int)NetfilterProtocol.Tcp => "tcp",
        (int)NetfilterProtocol.Udp => "udp",
        (int)NetfilterProtocol.IcmpV6 => "ipv6-icmp",
        (int)NetfilterProtocol.Sctp => "sctp",
        _ => protocol.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>libxt_conntrack prints states in this fixed order; an empty mask prints as <c>&lt;none&gt;</c>.</summary>
    public static string StateNames(ConntrackStates states)
    {
        var names = new List<string>(4);
        if (states.HasFlag(ConntrackStates.Invalid))
        {
            names.Add("INVALID");
        }

        if (states.HasFlag(ConntrackStates.New))
        {
            names.Add("NEW");
        }

        if (states.HasFlag(ConntrackStates.Related))
        {
            names.Add("RELATED");
        }

        if (states.HasFlag(ConntrackStates.Established))
        {
            names.Add("ESTABLISHED");
        }

        return names.Count == 0 ? "<none>" : string.Join(',', names);
    }
}
