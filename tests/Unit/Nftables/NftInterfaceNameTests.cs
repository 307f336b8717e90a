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
}
