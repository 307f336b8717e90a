using Mnp.Policy.Cluster;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

/// <summary>The policy-for annotation is read in one pass (a list's Contains per name made 100,000 names take 19.6 s).</summary>
public sealed class PolicyForScaleTests
{
    [Fact]
    public void A_hundred_thousand_names_with_repeats_keep_each_network_once_in_first_seen_order()
    {
        var names = Enumerable.Range(0, 100_000).Select(i => i % 2 == 0 ? $"n{i}" : $"other/n{i}").ToList();
        var annotation = string.Join(", ", names.Concat(names.Take(1000)).Append("x/n0"));
        var problems = new ProblemCollector(MultiNetworkPolicyParser.Kind, "x", "p");

        var networks = MultiNetworkPolicyParser.ReadPolicyFor(annotation, "x", problems);

        Assert.Empty(problems.ToImmutable());
        Assert.Equal(100_000, networks.Length);
        Assert.Equal(new NetworkRef("x", "n0"), networks[0]);
        Assert.Equal(new NetworkRef("other", "n99999"), networks[^1]);
        Assert.Equal(networks.Length, networks.Distinct().Count());
    }
}
