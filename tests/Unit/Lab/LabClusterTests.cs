using Mnp.Agent.Lab;
using static Mnp.Tests.Unit.Lab.LabSnapshots;

namespace Mnp.Tests.Unit.Lab;

public sealed class LabClusterTests
{
    [Fact]
    public void Lab_pods_become_running_on_the_lab_node_with_their_interfaces_and_namespaces_get_the_name_label()
    {
        var hostNet = Pod("x/h", On("x/net1")) with { HostNetwork = true, Phase = "Pending" };
        var snapshot = Snapshot(
            [Nad("""{"ipam":{"type":"host-local","subnet":"10.6.0.0/24"}}""")],
            Pod("x/a", On("x/net1")) with { Phase = "Pending", NodeName = null },
            hostNet);
        var state = LabPlanner.Plan("demo", snapshot);

        var cluster = LabCluster.Materialize(snapshot, state);

        var a = cluster.Pods[0];
        Assert.Equal("Running", a.Phase);
        Assert.Equal("mnplab-demo-node", a.NodeName);
        var net1 = Assert.Single(a.Interfaces);
        Assert.Equal("net1", net1.Interface);
        Assert.Equal([IPAddress.Parse("10.6.0.2")], net1.Addresses.ToList());
        Assert.Same(hostNet, cluster.Pods[1]);
        Assert.Equal("x", cluster.Namespaces.Single().Labels["kubernetes.io/metadata.name"]);
    }
}
