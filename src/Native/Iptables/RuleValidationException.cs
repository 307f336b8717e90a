using Mnp.Native.Backends;

namespace Mnp.Native.Iptables;

/// <summary>A table model was rejected before any libiptc call; nothing was written.</summary>
public sealed class RuleValidationException : FirewallModelException
{
    public RuleValidationException(ImmutableArray<RuleProblem> problems)
        : base(problems.Length == 1 ? problems[0].ToString() : $"{problems[0]} (and {problems.Length - 1} more)")
    {
        Problems = problems;
    }

    public ImmutableArray<RuleProblem> Problems { get; }

    /// <inheritdoc/>
    public override string? TransactionScope => Problems.IsDefaultOrEmpty ? null : $"{TableDump.FamilyName(Problems[0].Family)} {Problems[0].Table}";

    /// <inheritdoc/>
    public override string Subject => Problems.IsDefaultOrEmpty ? "" : $"{Problems[0].Family} {Problems[0].Table}/{Problems[0].Chain}";
}
