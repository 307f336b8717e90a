using System.Collections.Immutable;
using Mnp.Policy.Netfilter;

namespace Mnp.Agent.Cli;

/// <summary>The CLI's family words: ipv4, ipv6, all.</summary>
internal static class FamilyNames
{
    public static ImmutableArray<IpFamily> Parse(string? text) => text switch
    {
        "ipv4" => [IpFamily.V4],
        "ipv6" => [IpFamily.V6],
        null or "all" => [IpFamily.V4, IpFamily.V6],
        _ => throw new CliException($"--family: unknown family '{text}' (ipv4, ipv6 or all)"),
    };

    public static string Name(IpFamily family) => family == IpFamily.V4 ? "ipv4" : "ipv6";
}
