using System.Text.Json;
using Mnp.Agent.Operations;
using Mnp.Native.Backends;

namespace Mnp.Tests.Unit.Operations;

/// <summary>inspect's JSON and text: each rule with its policy, direction and rule index; every difference with its kind and its one line.</summary>
public sealed class InspectionOutputTests
{
    private static readonly RuleView Live = new(
        FirewallBackendKind.Iptables,
        ["IPv4 filter/MNP-IN-net1"],
        [new RuleLine("IPv4 filter/INPUT", 0, "-i net1 -j MNP-IN-net1", null), new RuleLine("IPv4 filter/MNP-IN-net1", 0, "-s 10.0.0.1/32 -j ACCEPT", "x/allow-a ingress[2]")],
        []);

    private static PodInspection Inspection(ImmutableArray<RuleDifference>? differences) => new(
        "x/b", "/run/netns/b", new NamespaceRules(Live, RuleView.Empty(FirewallBackendKind.Nftables), new ForeignSummary(1, 3), ["filter"], []),
        differences is null ? null : FirewallBackendKind.Iptables, differences);

    [Fact]
    public void Json_annotates_rules_with_policy_direction_and_rule_and_lists_differences()
    {
        var difference = new RuleDifference(FirewallBackendKind.Iptables, DifferenceKind.Missing, "IPv4 filter/MNP-IN-net1", 1, "-s 10.0.0.2/32 -j ACCEPT", null, "x/allow-a ingress[2]");
        using var json = JsonDocument.Parse(InspectionOutput.Json([Inspection([difference])]));

        var pod = json.RootElement.GetProperty("pods")[0];
        var rule = pod.GetProperty("backends")[0].GetProperty("rules")[1];
        Assert.Equal(("x/allow-a", "ingress", 2, "-s 10.0.0.1/32 -j ACCEPT"), (rule.GetProperty("policy").GetString(), rule.GetProperty("direction").GetString(), rule.GetProperty("rule").GetInt32(), rule.GetProperty("text").GetString()));
        Assert.False(pod.GetProperty("backends")[0].GetProperty("rules")[0].TryGetProperty("policy", out _));
        Assert.Equal(1, json.RootElement.GetProperty("differences").GetInt32());
        var named = pod.GetProperty("differences")[0];
        Assert.Equal(("missing", 1, "x/allow-a"), (named.GetProperty("kind").GetString(), named.GetProperty("index").GetInt32(), named.GetProperty("policy").GetString()));
        Assert.Equal(difference.ToString(), named.GetProperty("text").GetString());
        Assert.Equal(["filter"], pod.GetProperty("foreign").GetProperty("nftablesTables").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public void Text_shows_each_rule_with_its_origin_and_says_when_there_is_no_difference()
    {
        var text = InspectionOutput.Text([Inspection([])]);

        Assert.Contains("# pod x/b (netns /run/netns/b)\n", text, StringComparison.Ordinal);
        Assert.Contains("  0  -s 10.0.0.1/32 -j ACCEPT    <- x/allow-a ingress[2]\n", text, StringComparison.Ordinal);
        Assert.Contains("foreign: 1 chain(s), 3 rule(s)", text, StringComparison.Ordinal);
        Assert.Contains("nftables: nothing of ours (foreign tables: filter)\n", text, StringComparison.Ordinal);
        Assert.EndsWith("differences (iptables compared with the engine): none\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("differences", InspectionOutput.Text([Inspection(null)]), StringComparison.Ordinal);
    }
}
