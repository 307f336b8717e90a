namespace Mnp.Native.Iptables;

/// <summary>One validation failure, naming the table, chain, rule index (or -1 for the chain itself) and field.</summary>
public sealed record RuleProblem(RuleViolation Violation, IpFamily Family, string Table, string Chain, int RuleIndex, string Field, string Message)
{
    public override string ToString() =>
        RuleIndex < 0
            ? $"{Family} {Table}/{Chain}: {Field}: {Message}"
            : $"{Family} {Table}/{Chain} rule {RuleIndex}: {Field}: {Message}";
}
