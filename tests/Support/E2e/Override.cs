namespace Mnp.Tests.Support.E2e;

/// <summary>
/// One truth-table override, as the e2e suite's Expect/ExpectAllIngress/ExpectAllEgress calls: every pair
/// matching <see cref="From"/> → <see cref="To"/> (patterns <c>*</c>, <c>ns/*</c> or <c>ns/pod</c>) gets <see cref="Allowed"/>.
/// </summary>
public sealed record Override(string From, string To, bool Allowed)
{
    public bool Covers(string from, string to) => Matches(From, from) && Matches(To, to);

    private static bool Matches(string pattern, string pod) =>
        pattern == "*"
        || pattern == pod
        || (pattern.EndsWith("/*", StringComparison.Ordinal) && pod.StartsWith(pattern[..^1], StringComparison.Ordinal));

    public override string ToString() => $"{(Allowed ? "ALLOW" : "DENY")} {From}->{To}";
}
