using System.Globalization;
using System.Text;
using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Rendering;

/// <summary>The words iptables-save uses for protocols, conntrack states and ports; shared by the writer and the native reader.</summary>
public static class IptablesText
{
    public static string Port(int from, int to) =>
        from == to ? from.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{from}:{to}");

    /// <summary>
    /// An <c>--icmp-type</c>/<c>--icmpv6-type</c> value: the type alone for every code, <c>type/code</c> for one code,
    /// <c>type/min:max</c> for a range. iptables' own parser only makes the first two; iptables-save prints a range as
    /// its first code alone, which would hide what the rule accepts, so a range is written as ports are. The save
    /// writer and the native reader both print with this, so a rule reads back as it was rendered.
    /// </summary>
    public static string IcmpType(IcmpTypeMatch icmp)
    {
        ArgumentNullException.ThrowIfNull(icmp);
        var type = icmp.Type.ToString(CultureInfo.InvariantCulture);
        return icmp.CodeMin == icmp.CodeMax ? string.Create(CultureInfo.InvariantCulture, $"{type}/{icmp.CodeMin}")
            : icmp.CodeMin == 0 && icmp.CodeMax == byte.MaxValue ? type
            : string.Create(CultureInfo.InvariantCulture, $"{type}/{icmp.CodeMin}:{icmp.CodeMax}");
    }

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

    /// <summary>
    /// An interface name as it goes after <c>-i</c>/<c>-o</c>. Bare, as iptables-save prints it, unless it holds a
    /// <c>"</c>: iptables-restore's tokenizer ends a word at a closing quote, so a bare <c>a""-j""ACCEPT</c> would
    /// add arguments. Such a name is double-quoted with <c>\</c> before <c>"</c> and <c>\</c>, which the tokenizer
    /// reads back as the exact name. (Whitespace and NUL never reach here: <see cref="Input.InterfaceNames"/>.)
    /// </summary>
    public static string Interface(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Contains('"', StringComparison.Ordinal) ? Quoted(name) : name;
    }

    /// <summary>As xtables_save_string: bare when only [A-Za-z0-9_-], else double-quoted with \ before " \ and '.</summary>
    public static string SaveString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value.All(c => c is '_' or '-' || char.IsAsciiLetterOrDigit(c)) ? value : Quoted(value);
    }

    private static string Quoted(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\' or '\'')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.Append('"').ToString();
    }
}
