using Mnp.Policy.Spec;

namespace Mnp.Tests.Unit.Input;

/// <summary>A readable, comparable form of a selector (records holding ImmutableArray compare by reference).</summary>
internal static class SelectorText
{
    public static string Of(LabelSelector? selector) =>
        selector is null ? "<null>" : string.Join(", ", selector.Requirements.Select(r => $"{r.Key} {r.Operator} [{string.Join(",", r.Values)}]"));
}
