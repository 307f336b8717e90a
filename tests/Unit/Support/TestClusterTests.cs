using Mnp.Tests.Support;

namespace Mnp.Tests.Unit.Support;

public sealed class TestClusterTests
{
    [Fact]
    public void Namespaces_carry_the_metadata_name_label_and_pods_their_interfaces()
    {
        var snapshot = new TestCluster()
            .Namespace("x", ("team", "blue"))
            .Pod("x", "a", [("pod", "a")], [("net1", "net1", ["10.0.0.1", "fd00::1"])])
            .Build();

        Assert.Equal("x", snapshot.Namespaces[0].Labels["kubernetes.io/metadata.name"]);
        Assert.Equal("x/net1", snapshot.Pods[0].Interfaces[0].Network.ToString());
        Assert.Equal(2, snapshot.Pods[0].Interfaces[0].Addresses.Length);
        Assert.True(Sel.NotIn("team", "red").Matches(snapshot.Namespaces[0].Labels));
    }
}
