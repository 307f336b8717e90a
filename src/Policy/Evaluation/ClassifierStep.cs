namespace Mnp.Policy.Evaluation;

/// <summary>A rule the packet matched on its way (<see cref="RuleIndex"/> is 0-based within <see cref="Chain"/>), or -1 for a chain's end.</summary>
public sealed record ClassifierStep(string Chain, int RuleIndex, string Target, string? Comment)
{
    public override string ToString() =>
        RuleIndex < 0 ? $"{Chain}: end -> {Target}" : $"{Chain}[{RuleIndex}] -> {Target}{(Comment is null ? string.Empty : $" ({Comment})")}";
}
