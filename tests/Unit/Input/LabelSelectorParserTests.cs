using Mnp.Policy.Input;
using Mnp.Policy.Spec;

namespace Mnp.Tests.Unit.Input;

public sealed class LabelSelectorParserTests
{
    private static (LabelSelector? Selector, ProblemCollector Problems) Parse(string yaml)
    {
        var problems = new ProblemCollector("MultiNetworkPolicy", "x", "p");
        return (LabelSelectorParser.Parse(InputYaml.Element(yaml), "spec.podSelector", problems), problems);
    }

    private static ImmutableDictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToImmutableDictionary(l => l.Key, l => l.Value);

    [Fact]
    public void Empty_selector_matches_everything()
    {
        var (selector, problems) = Parse("{}");

        Assert.Equal(0, problems.Count);
        Assert.Empty(selector!.Requirements);
        Assert.True(selector.Matches(Labels()));
    }

    [Fact]
    public void MatchLabels_and_matchExpressions_are_anded()
    {
        var (selector, _) = Parse("{matchLabels: {pod: a}, matchExpressions: [{key: tier, operator: In, values: [web, db]}]}");

        Assert.True(selector!.Matches(Labels(("pod", "a"), ("tier", "db"))));
        Assert.False(selector.Matches(Labels(("pod", "a"), ("tier", "cache"))));
        Assert.False(selector.Matches(Labels(("pod", "b"), ("tier", "db"))));
    }

    [Fact]
    public void MatchLabels_with_empty_value_needs_the_key_present_with_empty_value()
    {
        var (selector, _) = Parse("{matchLabels: {k: \"\"}}");

        Assert.True(selector!.Matches(Labels(("k", ""))));
        Assert.False(selector.Matches(Labels()));
        Assert.False(selector.Matches(Labels(("k", "v"))));
    }

    [Fact]
    public void NotIn_and_DoesNotExist_match_when_the_key_is_absent()
    {
        var (notIn, _) = Parse("{matchExpressions: [{key: pod, operator: NotIn, values: [a]}]}");
        var (doesNotExist, _) = Parse("{matchExpressions: [{key: pod, operator: DoesNotExist}]}");

        Assert.True(notIn!.Matches(Labels()));
        Assert.True(notIn.Matches(Labels(("pod", "b"))));
        Assert.False(notIn.Matches(Labels(("pod", "a"))));
        Assert.True(doesNotExist!.Matches(Labels()));
        Assert.False(doesNotExist.Matches(Labels(("pod", ""))));
    }

    [Fact]
    public void Exists_matches_any_value_including_empty()
    {
        var (selector, _) = Parse("{matchExpressions: [{key: pod, operator: Exists}]}");

        Assert.True(selector!.Matches(Labels(("pod", ""))));
        Assert.False(selector.Matches(Labels()));
    }

    [Theory]
    [InlineData("{matchExpressions: [{key: pod, operator: Equals, values: [a]}]}", "spec.podSelector.matchExpressions[0].operator", "unknown operator \"Equals\": must be In, NotIn, Exists or DoesNotExist")]
    [InlineData("{matchExpressions: [{key: pod, operator: in, values: [a]}]}", "spec.podSelector.matchExpressions[0].operator", "unknown operator \"in\": must be In, NotIn, Exists or DoesNotExist")]
    [InlineData("{matchExpressions: [{key: pod, operator: In}]}", "spec.podSelector.matchExpressions[0].values", "must be non-empty for operator In")]
    [InlineData("{matchExpressions: [{key: pod, operator: NotIn, values: []}]}", "spec.podSelector.matchExpressions[0].values", "must be non-empty for operator NotIn")]
    [InlineData("{matchExpressions: [{key: pod, operator: Exists, values: [a]}]}", "spec.podSelector.matchExpressions[0].values", "must be empty for operator Exists")]
    [InlineData("{matchExpressions: [{key: pod, operator: DoesNotExist, values: [a]}]}", "spec.podSelector.matchExpressions[0].values", "must be empty for operator DoesNotExist")]
    [InlineData("{matchExpressions: [{operator: Exists}]}", "spec.podSelector.matchExpressions[0].key", "must be a label key string")]
    [InlineData("{matchExpressions: {key: pod}}", "spec.podSelector.matchExpressions", "must be a list, not an object")]
    [InlineData("{matchLabels: [a]}", "spec.podSelector.matchLabels", "must be an object of label keys to values, not a list")]
    [InlineData("{matchLabels: {pod: 80}}", "spec.podSelector.matchLabels[pod]", "label value must be a string, not the number 80")]
    [InlineData("{matchLabels: {pod: \"a b\"}}", "spec.podSelector.matchLabels[pod]", "invalid label value \"a b\": value must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")]
    [InlineData("{matchLabels: {\"-pod\": a}}", "spec.podSelector.matchLabels[-pod]", "invalid label key \"-pod\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")]
    [InlineData("{matchLabels: {\"Example.com/pod\": a}}", "spec.podSelector.matchLabels[Example.com/pod]", "invalid label key \"Example.com/pod\": prefix part must be a lowercase RFC 1123 subdomain: lowercase alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character")]
    [InlineData("{matchExpressions: [{key: pod, operator: In, values: [\"-a\"]}]}", "spec.podSelector.matchExpressions[0].values[0]", "invalid label value \"-a\": value must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")]
    [InlineData("[]", "spec.podSelector", "must be a label selector object, not a list")]
    public void Invalid_selectors_are_rejected_naming_the_field(string yaml, string field, string message)
    {
        var (selector, problems) = Parse(yaml);

        Assert.Null(selector);
        var problem = Assert.Single(problems.ToImmutable());
        Assert.Equal(field, problem.Field);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void One_invalid_requirement_invalidates_the_whole_selector()
    {
        var (selector, problems) = Parse("{matchLabels: {pod: a}, matchExpressions: [{key: tier, operator: Bogus}]}");

        Assert.Null(selector);
        Assert.Equal(1, problems.Count);
    }

    [Fact]
    public void Null_lists_inside_a_selector_count_as_absent()
    {
        var (selector, problems) = Parse("{matchLabels: null, matchExpressions: null}");

        Assert.Equal(0, problems.Count);
        Assert.Empty(selector!.Requirements);
        Assert.True(selector.Matches(Labels(("any", "thing"))));
    }
}
