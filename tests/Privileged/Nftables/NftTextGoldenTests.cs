using Mnp.Policy.Nftables;
using Mnp.Tests.Privileged.Rendering;

namespace Mnp.Tests.Privileged.Nftables;

/// <summary>
/// The text golden test: our rendering of each model, loaded with the real <c>nft -f</c> into a fresh namespace,
/// is printed back by <c>nft list table inet mnp</c> byte for byte.
/// </summary>
public sealed class NftTextGoldenTests
{
    [PrivilegedFact]
    public async Task Rendered_text_equals_what_nft_lists_after_loading_it()
    {
        var compared = 0;
        var concatenations = 0;
        var sourceTuples = 0;
        foreach (var model in SaveWriterRoundTripTests.Models)
        {
            var options = SaveWriterRoundTripTests.OptionsFor(model);
            foreach (var pod in SaveWriterRoundTripTests.Compile(model))
            {
                var table = NftRenderer.Render(pod, options);
                Assert.NotNull(table);
                var text = NftText.Write(table);
                await using var ns = await TestNetns.CreateAsync();
                await Sh.RunAsync("ip", ["netns", "exec", ns.Name, "nft", "-f", "-"], text);
                var listed = await Sh.InNetnsAsync(ns.Name, "nft", "list", "table", "inet", NftTable.OwnedName);
                Assert.True(text == listed, $"{model} {pod.Pod.Key}:\n--- rendered\n{text}--- listed\n{listed}");
                Assert.Contains("drop comment", text, StringComparison.Ordinal);
                concatenations += text.Contains("daddr . meta l4proto . th dport @", StringComparison.Ordinal) ? 1 : 0;
                sourceTuples += text.Contains("saddr . meta l4proto . th dport @", StringComparison.Ordinal) ? 1 : 0;
                compared++;
            }
        }

        Assert.True(compared >= SaveWriterRoundTripTests.Models.Length, $"only {compared} tables compared");
        Assert.True(concatenations > 0, "no model rendered an address . protocol . port set");
        Assert.True(sourceTuples > 0, "no model rendered an ingress address . protocol . port set");
    }
}
