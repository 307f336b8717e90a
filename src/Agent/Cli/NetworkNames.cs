using Mnp.Policy.Cluster;

namespace Mnp.Agent.Cli;

/// <summary>The CLI's <c>--network NS/NAD</c> value (the namespace is required: there is no default one).</summary>
internal static class NetworkNames
{
    public static NetworkRef? Parse(string? text) =>
        text is null ? null
        : NetworkRef.TryParse(text, "", out var network) && text.Contains('/', StringComparison.Ordinal) ? network
        : throw new CliException($"--network: '{text}' is not NS/NAD");
}
