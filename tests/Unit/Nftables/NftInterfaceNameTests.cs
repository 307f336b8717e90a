using Mnp.Policy.Cluster;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Unit.Nftables;

/// <summary>
/// Issue 7 item 1's sibling in nft text: nft reads a bare trailing <c>*</c> as a wildcard, and nft list prints an
/// exact name ending in <c>*</c> as <c>"n\*"</c> (checked with nft 1.0.x), so render prints it that way.
/// </summary>
public sealed class NftInterfaceNameTests
{
    [Fact]
    public void An_exact_name_ending_in_a_star_is_escaped_as_nft_list_prints_it()
    {
        var deny = new DirectionRules(true, ["x/p"], []);
        var pod = new PodRules(null!, [
            new InterfaceRules("n*", new NetworkRef("x", "n"), [], deny, DirectionRules.Open),
            new InterfaceRules("net1", new NetworkRef("x", "n"), [], DirectionRules.Open, deny),
        ]);

        var text = NftText.Write(NftRenderer.Render(pod, PolicyOptions.Default)!);

        Assert.Contains("iifname \"n\\*\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("iifname \"n*\"", text, StringComparison.Ordinal);
        Assert.Contains("oifname \"net1\"", text, StringComparison.Ordinal);
        Assert.Equal("a*b", NftText.InterfaceName("a*b"));
    }

    [Theory]
    [InlineData("a\"b")]
    [InlineData("q\";accept;\"")]
    [InlineData("a#b")]
    [InlineData("x\\y")]
    public void A_name_nft_text_cannot_hold_makes_the_text_unloadable_instead_of_injected(string name)
    {
        var hostile = Text(name);
        var benign = Text("b0");

        Assert.DoesNotContain(name, hostile, StringComparison.Ordinal);
        Assert.Contains("iifname $mnp_unrepresentable_interface_name", hostile, StringComparison.Ordinal);
        Assert.Equal(benign.Split('\n').Length, hostile.Split('\n').Length);
        Assert.All(hostile.Split('\n'), line => Assert.Equal(0, line.Count(c => c == '"') % 2));
    }

    [Fact]
    public void Chain_names_never_collide_whatever_the_interface_names()
    {
        var random = new Random(7);
        const string alphabet = "ab0-_.+\"#%/*!";
        for (var round = 0; round < 2000; round++)
        {
            var names = Enumerable.Range(0, random.Next(2, 6))
                .Select(_ => new string(Enumerable.Range(0, random.Next(1, 6)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToArray();
            var chains = names.SelectMany((n, i) => new[] { NftRenderer.ChainName("ingress", n, i), NftRenderer.ChainName("egress", n, i) }).ToArray();
            Assert.Equal(chains.Length, chains.Distinct(StringComparer.Ordinal).Count());
        }

        Assert.NotEqual(NftRenderer.ChainName("ingress", "0", 5), NftRenderer.ChainName("ingress", "n+", 0));
        Assert.Equal("ingress_0", NftRenderer.ChainName("ingress", "n+", 0));
    }

    private static string Text(string name)
    {
        var deny = new DirectionRules(true, ["x/p"], []);
        var pod = new PodRules(null!, [new InterfaceRules(name, new NetworkRef("x", "n"), [], deny, DirectionRules.Open)]);
        return NftText.Write(NftRenderer.Render(pod, PolicyOptions.Default)!);
    }
}
