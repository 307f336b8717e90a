namespace Mnp.Policy.Spec;

/// <summary>A parsed, valid label selector: the AND of its requirements; no requirement matches everything.</summary>
public sealed record LabelSelector(ImmutableArray<LabelRequirement> Requirements)
{
    public static LabelSelector Everything { get; } = new(ImmutableArray<LabelRequirement>.Empty);

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }
}
