namespace Mnp.Policy.Evaluation;

/// <summary>The verdict for one packet and the matched rules that led to it, in order.</summary>
public sealed record ClassifierResult(bool Accepted, ImmutableArray<ClassifierStep> Path)
{
    public override string ToString() => $"{(Accepted ? "ACCEPT" : "DROP")}: {string.Join(" | ", Path)}";
}
