using Mnp.Agent.Lab;
using Mnp.Agent.Manifests;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Lab;

/// <summary>The lab's manifests folder reads back (as <c>mnp render -f</c> reads it) as the cluster the lab made.</summary>
public sealed class LabManifestsTests : IDisposable
{
    private const string Input = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: x, labels: {team: a}}
        ---
        apiVersion: k8s.cni.cncf.io/v1
        kind: NetworkAttachmentDefinition
        metadata: {name: net1, namespace: x}
        spec: {config: '{"cniVersion": "0.3.1", "type": "macvlan", "ipam": {"type": "host-local", "subnet": "10.9.0.0/24"}}'}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: a, namespace: x, labels: {app: a}, annotations: {k8s.v1.cni.cncf.io/networks: net1}}
        spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 80}]}]}
        ---
        apiVersion: k8s.cni.cncf.io/v1beta1
        kind: MultiNetworkPolicy
        metadata: {name: deny, namespace: x, annotations: {k8s.v1.cni.cncf.io/policy-for: x/net1}}
        spec: {podSelector: {}, policyTypes: [Ingress]}
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mnp-labmanifests-" + Guid.NewGuid().ToString("N"));

    private static LabState State => new(
        "demo",
        LabPlanner.NodeNetnsName("demo"),
        [new LabNetwork(new NetworkRef("x", "net1"), "nad0", "nad0p")],
        [new LabPod("x", "a", LabPlanner.PodNetnsName("demo", "x", "a"), [new LabInterface(new NetworkRef("x", "net1"), "net1", [new LabAddress(IPAddress.Parse("10.9.0.2"), 24)], "02:00:00:00:00:01")])]);

    [Fact]
    public void Objects_read_back_with_the_pods_running_on_the_lab_node_and_their_network_status()
    {
        var objects = ManifestParser.Parse(Input, "input.yaml").Objects;

        LabManifests.Write(_directory, objects, State);
        var snapshot = ClusterSnapshotBuilder.FromManifests(ManifestLoader.Load([_directory]).Objects);

        Assert.Empty(snapshot.Problems);
        var pod = Assert.Single(snapshot.Pods);
        Assert.Equal(("Running", LabCluster.NodeName("demo")), (pod.Phase, pod.NodeName));
        var attachment = Assert.Single(pod.Interfaces);
        Assert.Equal(("net1", "10.9.0.2", "02:00:00:00:00:01"), (attachment.Interface, attachment.Addresses.Single().ToString(), attachment.Mac));
        Assert.Equal("a", pod.Labels["app"]);
        Assert.Equal("x", Assert.Single(snapshot.Namespaces).Labels[LabCluster.NamespaceNameLabel]);
        Assert.Equal("x/deny", Assert.Single(snapshot.Policies).Key);
        Assert.Equal(4, Directory.EnumerateFiles(_directory).Count());
    }

    [Fact]
    public void A_second_write_replaces_the_folder()
    {
        var objects = ManifestParser.Parse(Input, "input.yaml").Objects;
        LabManifests.Write(_directory, objects, State);

        LabManifests.Write(_directory, [.. objects.Where(o => o.Kind != ManifestKinds.MultiNetworkPolicy)], State);

        Assert.Empty(ClusterSnapshotBuilder.FromManifests(ManifestLoader.Load([_directory]).Objects).Policies);
        Assert.False(Directory.Exists(_directory + ".new"));
    }

    [Fact]
    public void Records_are_written_as_manifests_that_ask_for_what_the_pods_hold()
    {
        var pod = new PodInfo("x", "a", "uid", ImmutableDictionary<string, string>.Empty.Add("app", "a"), "Pending", false, null,
            [new ContainerPort("serve-81-udp", 81, Protocol.Udp)], [],
            [new NetworkRequest(new NetworkRef("x", "net1"), "net1", ["10.9.0.2/24"])]);
        var records = new ClusterSnapshot(
            [new NamespaceInfo("x", ImmutableDictionary<string, string>.Empty)],
            [pod],
            [new NetworkAttachmentInfo("x", "net1", "macvlan", """{"cniVersion":"0.3.1","type":"macvlan"}""")],
            [],
            []);

        LabManifests.Write(_directory, records, State);
        var snapshot = ClusterSnapshotBuilder.FromManifests(ManifestLoader.Load([_directory]).Objects);

        Assert.Empty(snapshot.Problems);
        var read = Assert.Single(snapshot.Pods);
        Assert.Equal(("Running", "10.9.0.2"), (read.Phase, read.Interfaces.Single().Addresses.Single().ToString()));
        Assert.Equal(pod.Ports.ToArray(), read.Ports.ToArray());
        Assert.Equal(["10.9.0.2/24"], read.RequestedNetworks.Single().Ips.ToArray());
        Assert.Equal("macvlan", Assert.Single(snapshot.Networks).PluginType);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
