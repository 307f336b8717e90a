using Mnp.Policy.Evaluation;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rules;
using Mnp.Tests.Support;

namespace Mnp.Tests.Unit.Evaluation;

/// <summary>
/// Issue 8 item 8: without --family, trace and matrix use the family the two pod ends share on the network;
/// the IPv4 default is only for two dual-stack ends.
/// </summary>
public sealed class FamilyChoiceTests
{
    private static readonly PolicyEvaluator Evaluator = new(new TestCluster()
        .Namespace("x")
        .Network("x", "net1")
        .Pod("x", "v6a", [], [("net1", "net1", ["fd00::1"])])
        .Pod("x", "v6b", [], [("net1", "net1", ["fd00::2"])])
        .Pod("x", "d1", [], [("net1", "net1", ["10.0.0.3", "fd00::3"])])
        .Pod("x", "d2", [], [("net1", "net1", ["10.0.0.4", "fd00::4"])])
        .Pod("x", "v4", [], [("net1", "net1", ["10.0.0.5"])])
        .Build(), PolicyOptions.Default);

    [Theory]
    [InlineData("x/v6a", "x/v6b", IpFamily.V6, "fd00::2")]
    [InlineData("x/d1", "x/d2", IpFamily.V4, "10.0.0.4")]
    [InlineData("x/d1", "x/v6b", IpFamily.V6, "fd00::2")]
    [InlineData("x/v6a", "x/d2", IpFamily.V6, "fd00::4")]
    [InlineData("x/v4", "x/d2", IpFamily.V4, "10.0.0.4")]
    public void Trace_without_family_uses_the_family_the_ends_share(string from, string to, IpFamily family, string address)
    {
        var trace = Evaluator.Trace(new ConnectionQuery(EndpointRef.Parse(from), EndpointRef.Parse(to), "80"));

        Assert.Equal(family, trace.Family);
        Assert.Equal(address, trace.To.Address.ToString());
    }

    [Fact]
    public void An_explicit_family_still_decides_and_a_missing_address_is_still_an_error()
    {
        Assert.Equal(IpFamily.V6, Evaluator.Trace(new ConnectionQuery(EndpointRef.Parse("x/d1"), EndpointRef.Parse("x/d2"), "80", Family: IpFamily.V6)).Family);
        var error = Assert.Throws<TraceException>(() => Evaluator.Trace(new ConnectionQuery(EndpointRef.Parse("x/v4"), EndpointRef.Parse("x/v6a"), "80")));
        Assert.Contains("no IPv4 address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_without_family_shows_each_pair_once_in_its_shared_family()
    {
        var flows = Evaluator.Reachability(new ReachabilityRequest { SharedFamilyOnly = true });

        var families = flows.GroupBy(f => (f.From, f.To)).ToDictionary(g => g.Key, g => g.Select(f => f.Address.AddressFamily).Single());
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, families[("x/v6a", "x/v6b")]);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, families[("x/d1", "x/v6b")]);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, families[("x/v6b", "x/d1")]);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, families[("x/d1", "x/d2")]);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, families[("x/v4", "x/d1")]);
        Assert.False(families.ContainsKey(("x/v4", "x/v6a")));
        Assert.False(families.ContainsKey(("x/v6b", "x/v4")));
        Assert.Equal((5 * 4) - 4, families.Count);
    }
}
