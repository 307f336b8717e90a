using Mnp.Policy.Cluster;
using Mnp.Tests.Support;
using Mnp.Tests.Support.Lab;

namespace Mnp.Tests.Unit.Lab;

public sealed class LabSnapshotRequestsTests
{
    [Theory]
    [InlineData(new[] { "10.9.1.1", "10.9.3.3" }, 22)]
    [InlineData(new[] { "10.9.11.1", "10.9.12.2" }, 21)]
    [InlineData(new[] { "10.9.1.1" }, 32)]
    [InlineData(new[] { "10.0.0.0", "10.0.0.1" }, 31)]
    [InlineData(new[] { "fd00:9::1:1", "fd00:9::3:3" }, 110)]
    public void Common_prefix_is_the_longest_holding_every_address(string[] addresses, int expected) =>
        Assert.Equal(expected, LabSnapshotRequests.CommonPrefix([.. addresses.Select(IPAddress.Parse)]));

    [Fact]
    public void Interfaces_become_requests_with_one_subnet_per_network_and_family()
    {
        var cluster = new TestCluster().Namespace("x").Network("x", "net1").Network("x", "net2")
            .Pod("x", "a", [], [("x/net1", "net1", ["10.9.1.1", "fd00:9::1:1"]), ("x/net2", "side", ["10.9.11.1"])])
            .Pod("x", "b", [], [("x/net1", "net1", ["10.9.3.3", "fd00:9::3:3"]), ("x/net2", "side", ["10.9.12.2"])]);

        var pods = LabSnapshotRequests.FromInterfaces(cluster.Build()).Pods;

        var a = pods.Single(p => p.Name == "a").RequestedNetworks;
        Assert.Equal(
            [
                new NetworkRef("x", "net1") + " net1 10.9.1.1/22,fd00:9::1:1/110",
                new NetworkRef("x", "net2") + " side 10.9.11.1/21",
            ],
            a.Select(r => $"{r.Network} {r.Interface} {string.Join(',', r.Ips)}"));
    }

    [Fact]
    public void Pods_that_ask_for_networks_keep_their_requests()
    {
        var pod = new PodInfo("x", "a", "uid", ImmutableDictionary<string, string>.Empty, "Running", false, null, [],
            [new PodInterface(new NetworkRef("x", "net1"), "net1", [IPAddress.Parse("10.0.0.1")], null)],
            [new NetworkRequest(new NetworkRef("x", "net1"), null, [])]);
        var snapshot = new ClusterSnapshot([], [pod], [], [], []);

        Assert.Same(pod.RequestedNetworks[0], LabSnapshotRequests.FromInterfaces(snapshot).Pods[0].RequestedNetworks[0]);
    }
}
