using System.Collections.Immutable;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Cli;

/// <summary>The CLI's protocol words (TCP, UDP, SCTP; case-insensitive) and comma lists of them.</summary>
internal static class ProtocolNames
{
    public static Protocol Parse(string text, string option) => text.Trim().ToUpperInvariant() switch
    {
        "TCP" => Protocol.Tcp,
        "UDP" => Protocol.Udp,
        "SCTP" => Protocol.Sctp,
        _ => throw new CliException($"{option}: unknown protocol '{text}' (TCP, UDP or SCTP)"),
    };

    public static ImmutableArray<Protocol> ParseList(string? text, string option) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => Parse(p, option)).Distinct()];

    public static ImmutableArray<int> ParsePorts(string? text, string option) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p =>
                int.TryParse(p.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
                    ? port
                    : throw new CliException($"{option}: '{p}' is not a port number (1-65535)")).Distinct()];

    public static string Name(Protocol protocol) => protocol.ToString().ToUpperInvariant();
}
