namespace Mnp.Native.Iptables;

/// <summary>A table model was rejected before any libiptc call; nothing was written.</summary>
public sealed class RuleValidationException : Exception
{
    public RuleValidationException(ImmutableArray<RuleProblem> problems)
        : base(problems.Length == 1 ? problems[0].ToString() : $"{problems[0]} (and {problems.Length - 1} more)")
    {
        Problems = problems;
    }

    public ImmutableArray<RuleProblem> Problems { get; }
}
