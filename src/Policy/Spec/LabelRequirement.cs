namespace Mnp.Policy.Spec;

/// <summary>One requirement of a label selector (matchLabels entries become <c>In [value]</c>).</summary>
public sealed record LabelRequirement(string Key, SelectorOperator Operator, ImmutableArray<string> Values)
{
    /// <summary>apimachinery semantics: NotIn and DoesNotExist match when the key is absent.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            SelectorOperator.In => present && LongListLookup<LabelRequirement, string>.Contains(this, Values, value!),
            SelectorOperator.NotIn => !present || !LongListLookup<LabelRequirement, string>.Contains(this, Values, value!),
            SelectorOperator.Exists => present,
            SelectorOperator.DoesNotExist => !present,
            _ => false,
        };
    }
}
