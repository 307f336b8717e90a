using System.Text.Json;
using Mnp.Agent.Operations;
using Mnp.Native.Backends;
using Mnp.Policy.Nftables;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Unit.Operations;

/// <summary>inspect reads back every policy rule a merged nftables comment names, as the renderer wrote them.</summary>
public sealed class OriginCommentTests
{
    [Fact]
    public void Every_comment_the_renderer_writes_reads_back_as_its_origins_or_a_prefix_of_them_with_the_count_left_out()
    {
        var random = new Random(20261201);
        for (var round = 0; round < 500; round++)
        {
            var origins = Enumerable.Range(0, random.Next(1, 30))
                .Select(_ => new RuleOrigin($"ns{random.Next(4)}/policy-{random.Next(6)}", random.Next(2) == 0 ? Direction.Ingress : Direction.Egress, random.Next(12)))
                .ToList();
            var comment = NftRenderer.Comment(origins);

            var (parsed, more) = OriginComment.Parse(comment) ?? throw new InvalidOperationException($"\"{comment}\" does not parse");
            var policies = origins.Select(o => (o.Policy, o.Direction)).Distinct().ToList();
            var shown = policies.Take(policies.Count - more).ToHashSet();
            var expected = origins.Where(o => shown.Contains((o.Policy, o.Direction))).Distinct()
                .OrderBy(o => policies.IndexOf((o.Policy, o.Direction))).ThenBy(o => o.Rule);
            Assert.Equal(expected, parsed);
        }
    }

    [Fact]
    public void Our_own_and_foreign_comments_name_nothing()
    {
        Assert.Null(OriginComment.Parse("mnp: ingress default deny"));
        Assert.Null(OriginComment.Parse("x/p ingress[0], x/"));
        Assert.Null(OriginComment.Parse("x/p ingress[0-99999]"));
        Assert.Null(OriginComment.Parse("+3 more"));
        var (origins, more) = OriginComment.Parse("x/p egress[4], +2 more")!.Value;
        Assert.Equal([new RuleOrigin("x/p", Direction.Egress, 4)], origins.AsEnumerable());
        Assert.Equal(2, more);
    }

    [Fact]
    public void Json_lists_every_origin_of_a_merged_rule_and_keeps_policy_direction_and_rule_for_one()
    {
        var view = new RuleView(FirewallBackendKind.Nftables, ["inet mnp"],
        [
            new RuleLine("inet mnp/ingress-net1", 1, "ip saddr @ingress-net1-0-v4 tcp dport 80 accept", "x/a ingress[0-1], y/b ingress[3], +1 more"),
            new RuleLine("inet mnp/ingress-net1", 2, "ip saddr 10.0.0.9 tcp dport 81 accept", "x/a ingress[2]"),
        ], []);
        var pod = new PodInspection("x/p", "/run/netns/p", new NamespaceRules(RuleView.Empty(FirewallBackendKind.Iptables), view, new ForeignSummary(0, 0), [], []), null, null);
        using var json = JsonDocument.Parse(InspectionOutput.Json([pod]));

        var rules = json.RootElement.GetProperty("pods")[0].GetProperty("backends")[1].GetProperty("rules");
        var merged = rules[0];
        Assert.False(merged.TryGetProperty("policy", out _));
        Assert.Equal(["x/a ingress 0", "x/a ingress 1", "y/b ingress 3"],
            merged.GetProperty("origins").EnumerateArray().Select(o => $"{o.GetProperty("policy").GetString()} {o.GetProperty("direction").GetString()} {o.GetProperty("rule").GetInt32()}"));
        Assert.Equal(1, merged.GetProperty("more").GetInt32());
        Assert.Equal(("x/a", "ingress", 2), (rules[1].GetProperty("policy").GetString(), rules[1].GetProperty("direction").GetString(), rules[1].GetProperty("rule").GetInt32()));
        Assert.Single(rules[1].GetProperty("origins").EnumerateArray());
    }
}
