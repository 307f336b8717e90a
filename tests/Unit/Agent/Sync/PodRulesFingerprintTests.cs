using Mnp.Agent.Sync;
using Mnp.Policy.Cluster;
using Mnp.Policy.Rules;

namespace Mnp.Tests.Unit.Agent.Sync;

/// <summary>
/// The fingerprint is a function of the rules' content: long peer lists enter through a digest remembered per list,
/// which must not make two different lists look alike nor two equal lists (different instances) look different.
/// </summary>
public sealed class PodRulesFingerprintTests
{
    [Fact]
    public void Equal_rules_in_distinct_lists_share_a_fingerprint_and_one_changed_peer_changes_it()
    {
        var peers = Hosts(0, 40);

        var first = PodRulesFingerprint.Of(Rules([.. peers]));
        var again = PodRulesFingerprint.Of(Rules([.. peers])); // a new array of the same peers
        var changed = PodRulesFingerprint.Of(Rules([.. peers.SetItem(17, Host(99))]));

        Assert.Equal(first, again);
        Assert.NotEqual(first, changed);
        Assert.NotEqual(PodRulesFingerprint.None, first);
    }

    [Fact]
    public void Lists_on_either_side_of_the_digest_threshold_are_all_told_apart()
    {
        var fingerprints = Enumerable.Range(1, 12).Select(n => PodRulesFingerprint.Of(Rules(Hosts(0, n)))).ToList();

        Assert.Equal(fingerprints.Count, fingerprints.Distinct().Count());
        Assert.Equal(fingerprints, Enumerable.Range(1, 12).Select(n => PodRulesFingerprint.Of(Rules(Hosts(0, n)))));
    }

    private static ImmutableArray<PeerMatch> Hosts(int from, int count) => [.. Enumerable.Range(from, count).Select(Host)];

    private static PeerMatch Host(int i) => new(IPNetwork.Parse($"10.0.{i / 250}.{(i % 250) + 1}/32"), []);

    private static PodRules Rules(ImmutableArray<PeerMatch> peers)
    {
        var allowance = new Allowance(new RuleOrigin("x/p", Direction.Ingress, 0), false, peers, true, []);
        var ingress = new DirectionRules(true, ["x/p"], [allowance]);
        return new PodRules(null!, [new InterfaceRules("net1", new NetworkRef("x", "n"), [IPAddress.Parse("10.9.0.1")], ingress, DirectionRules.Open)]);
    }
}
