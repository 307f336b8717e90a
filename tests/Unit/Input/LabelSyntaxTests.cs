using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

public sealed class LabelSyntaxTests
{
    [Theory]
    [InlineData("pod")]
    [InlineData("a")]
    [InlineData("kubernetes.io/metadata.name")]
    [InlineData("app.kubernetes.io/part-of")]
    [InlineData("My_Key.v1")]
    [InlineData("x-1.example/Name_2")]
    public void Valid_keys(string key) => Assert.Null(LabelSyntax.KeyError(key));

    [Theory]
    [InlineData("")]
    [InlineData("/name")]
    [InlineData("prefix/")]
    [InlineData("a/b/c")]
    [InlineData("_pod")]
    [InlineData("pod.")]
    [InlineData("UPPER.io/name")]
    [InlineData("ex..ample/name")]
    [InlineData("pod name")]
    public void Invalid_keys(string key) => Assert.NotNull(LabelSyntax.KeyError(key));

    [Fact]
    public void Name_part_is_at_most_63_characters_and_prefix_at_most_253()
    {
        Assert.Null(LabelSyntax.KeyError(new string('a', 63)));
        Assert.NotNull(LabelSyntax.KeyError(new string('a', 64)));
        var prefix253 = string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..253];
        Assert.Null(LabelSyntax.KeyError(prefix253 + "/n"));
        Assert.NotNull(LabelSyntax.KeyError(prefix253 + "a/n"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("a", true)]
    [InlineData("A-b_c.D", true)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    public void Values_may_be_empty_or_name_shaped(string value, bool valid) => Assert.Equal(valid, LabelSyntax.ValueError(value) is null);

    [Fact]
    public void Values_are_at_most_63_characters()
    {
        Assert.Null(LabelSyntax.ValueError(new string('v', 63)));
        Assert.Equal("value must be no more than 63 characters", LabelSyntax.ValueError(new string('v', 64)));
    }
}
