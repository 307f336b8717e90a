using Mnp.Native.Iptables;
using Mnp.Policy.Netfilter;

namespace Mnp.Tests.Unit.Iptables;

/// <summary>
/// The backend's per-namespace cache of validated, encoded models: an equal model (a new instance, as every resync
/// renders one) reuses the last preparation; a different model, or another namespace, is prepared anew; a refused
/// model is refused every time and never cached.
/// </summary>
public sealed class PreparedTableCacheTests
{
    [Fact]
    public void An_equal_model_rendered_again_reuses_the_last_preparation_of_that_namespace()
    {
        var cache = new PreparedTableCache();

        var first = cache.Prepare("/run/netns/a", Table(22), Empty(IpFamily.V6));
        var again = cache.Prepare("/run/netns/a", Table(22), Empty(IpFamily.V6));
        var other = cache.Prepare("/run/netns/b", Table(22), Empty(IpFamily.V6));

        Assert.Same(first.V4, again.V4);
        Assert.Same(first.V6, again.V6);
        Assert.NotSame(first.V4, other.V4);
        Assert.Equal(first.V4.Entries["MNP-A"].Single(), other.V4.Entries["MNP-A"].Single());
    }

    [Fact]
    public void A_changed_model_is_encoded_anew_and_replaces_the_old_one()
    {
        var cache = new PreparedTableCache();
        var old = cache.Prepare("/run/netns/a", Table(22), Empty(IpFamily.V6));

        var changed = cache.Prepare("/run/netns/a", Table(23), Empty(IpFamily.V6));
        var back = cache.Prepare("/run/netns/a", Table(22), Empty(IpFamily.V6));

        Assert.NotEqual(old.V4.Entries["MNP-A"].Single(), changed.V4.Entries["MNP-A"].Single());
        Assert.Equal(Table(23), changed.V4.Desired);
        Assert.NotSame(old.V4, back.V4);
    }

    [Fact]
    public void A_refused_model_is_refused_each_time_and_never_cached()
    {
        var cache = new PreparedTableCache();
        var bad = new NetfilterTable(IpFamily.V4, "filter", [new NetfilterChain("MNP-A", [new NetfilterRule(RuleTarget.Accept) { DestinationPorts = [(80, 80)] }])]);

        Assert.Throws<RuleValidationException>(() => cache.Prepare("/run/netns/a", bad, Empty(IpFamily.V6)));
        Assert.Throws<RuleValidationException>(() => cache.Prepare("/run/netns/a", bad, Empty(IpFamily.V6)));
        Assert.Equal(Table(22), cache.Prepare("/run/netns/a", Table(22), Empty(IpFamily.V6)).V4.Desired);
    }

    private static NetfilterTable Table(int port) => new(IpFamily.V4, "filter",
    [
        new NetfilterChain("INPUT", [new NetfilterRule(RuleTarget.JumpTo("MNP-A"))]),
        new NetfilterChain("MNP-A", [new NetfilterRule(RuleTarget.Drop) { Protocol = NetfilterProtocol.Tcp, DestinationPorts = [(port, port)] }]),
    ]);

    private static NetfilterTable Empty(IpFamily family) => NetfilterTable.Empty(family);
}
