using System.CommandLine;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Cli;

/// <summary>Options shared by the pure verbs: the manifests and the operator settings that change compiled rules.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Files()
    {
        var option = new Option<string[]>("--filename", "-f")
        {
            Description = "Manifest files or folders (YAML or JSON; multi-document, kind: List)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };

        // -f takes several words, so it would swallow an unknown flag as a file name ("no such file").
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
            {
                result.AddError($"{token.Value}: unknown option (a file whose name starts with '-' is given as ./{token.Value})");
            }
        });
        return option;
    }

    public static Option<string> NetworkPlugins() => new("--network-plugins")
    {
        Description = "Comma-separated NAD CNI types whose networks are managed",
        DefaultValueFactory = _ => string.Join(',', PolicyOptions.DefaultPlugins.Order(StringComparer.Ordinal)),
    };

    public static Option<bool> AcceptIcmp() => new("--accept-icmp") { Description = "Isolated IPv4 directions accept ICMP" };

    public static Option<bool> AcceptIcmpV6() => new("--accept-icmpv6") { Description = "Isolated IPv6 directions accept ICMPv6" };

    public static Option<bool> AcceptNeighborDiscovery() => new("--accept-neighbor-discovery")
    {
        Description = "Accept IPv6 neighbour discovery (ICMPv6 133-137) on governed interfaces",
        DefaultValueFactory = _ => true,
    };

    /// <summary><c>--backend iptables|nftables</c> (default iptables), as docs/cli.md §2 and §5 fix it for render and lab up.</summary>
    public static Option<string> Backend()
    {
        var option = new Option<string>("--backend") { Description = "Rule backend: iptables or nftables", DefaultValueFactory = _ => "iptables" };
        option.AcceptOnlyFromAmong("iptables", "nftables");
        return option;
    }

    public static Option<string> Output(string defaultValue, params string[] formats)
    {
        var option = new Option<string>("--output", "-o") { Description = "Output format", DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public static Option<string> Family(string? defaultValue, params string[] values)
    {
        var option = new Option<string>("--family") { Description = "Address family" };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }

        option.AcceptOnlyFromAmong(values);
        return option;
    }
}
