using Mnp.Policy.Spec;

namespace Mnp.Tests.Support;

/// <summary>Short forms for label selectors in tests.</summary>
public static class Sel
{
    public static LabelSelector All => LabelSelector.Everything;

    public static LabelSelector Labels(params (string Key, string Value)[] labels) =>
        new([.. labels.Select(l => new LabelRequirement(l.Key, SelectorOperator.In, [l.Value]))]);

    public static LabelSelector In(string key, params string[] values) =>
        new([new LabelRequirement(key, SelectorOperator.In, [.. values])]);

    public static LabelSelector NotIn(string key, params string[] values) =>
        new([new LabelRequirement(key, SelectorOperator.NotIn, [.. values])]);

    /// <summary>The namespace selector <c>kubernetes.io/metadata.name: name</c>.</summary>
    public static LabelSelector Ns(string name) => Labels(("kubernetes.io/metadata.name", name));
}
