using Mnp.Native.Backends;

namespace Mnp.Agent.Operations;

/// <summary>
/// One difference between a namespace and the engine: in which backend and where, at which position (the live one,
/// or the expected one for a missing rule), the rule expected and the one found (either may be absent), and the
/// policy rule concerned.
/// </summary>
public sealed record RuleDifference(FirewallBackendKind Backend, DifferenceKind Kind, string Location, int? Index, string? Expected, string? Found, string? Origin)
{
    /// <summary>The kind as JSON and text name it: <c>missing</c>, <c>unexpected</c>, <c>changed</c>, <c>missing-container</c>, ...</summary>
    public string KindName => Kind switch
    {
        DifferenceKind.Missing => "missing",
        DifferenceKind.Unexpected => "unexpected",
        DifferenceKind.Changed => "changed",
        DifferenceKind.MissingContainer => "missing-container",
        DifferenceKind.UnexpectedContainer => "unexpected-container",
        _ => "anomaly",
    };

    public static string BackendName(FirewallBackendKind backend) => backend == FirewallBackendKind.Iptables ? "iptables" : "nftables";

    /// <summary>One line: <c>iptables IPv4 filter/MNP-IN-net1 rule 3 changed: expected "..." (x/p ingress[0]), found "..."</c>.</summary>
    public override string ToString()
    {
        var where = $"{BackendName(Backend)} {Location}{(Index is { } i ? $" rule {i}" : string.Empty)}";
        var origin = Origin is null ? string.Empty : $" ({Origin})";
        return Kind switch
        {
            DifferenceKind.Missing => $"{where} missing: \"{Expected}\"{origin}",
            DifferenceKind.Unexpected => $"{where} unexpected: \"{Found}\"{origin}",
            DifferenceKind.Changed => $"{where} changed: expected \"{Expected}\"{origin}, found \"{Found}\"",
            DifferenceKind.MissingContainer => $"{where} missing (expected by the engine)",
            DifferenceKind.UnexpectedContainer => $"{where} unexpected (the engine computes no such thing)",
            _ => $"{BackendName(Backend)} anomaly: {Found}",
        };
    }
}
