using k8s.Models;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Input;

public sealed class PodParserTests
{
    private static V1Pod Pod(Dictionary<string, string>? annotations = null, string? phase = "Running", string? ns = "x") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "a",
            NamespaceProperty = ns,
            Uid = "uid-a",
            Labels = new Dictionary<string, string> { ["pod"] = "a" },
            Annotations = annotations,
        },
        Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "c" }] },
        Status = phase is null ? null : new V1PodStatus { Phase = phase },
    };

    private static Parsed<PodInfo> WithStatus(string networkStatus) =>
        PodParser.Parse(Pod(new() { [Annotations.NetworkStatus] = networkStatus }), assumeRunningWhenPhaseMissing: false);

    private static Parsed<PodInfo> WithNetworks(string networks) =>
        PodParser.Parse(Pod(new() { [Annotations.Networks] = networks }), assumeRunningWhenPhaseMissing: false);

    [Fact]
    public void Reads_identity_labels_node_and_host_network()
    {
        var pod = Pod();
        pod.Spec.HostNetwork = true;

        var info = PodParser.Parse(pod, assumeRunningWhenPhaseMissing: false).Value;

        Assert.Equal("x/a", info.Key);
        Assert.Equal("uid-a", info.Uid);
        Assert.Equal("a", info.Labels["pod"]);
        Assert.Equal("node-1", info.NodeName);
        Assert.True(info.HostNetwork);
        Assert.False(info.IsPolicyEndpoint);
    }

    [Theory]
    [InlineData(null, true, "Running")]
    [InlineData(null, false, "Pending")]
    [InlineData("Succeeded", true, "Succeeded")]
    [InlineData("Running", false, "Running")]
    public void Missing_phase_is_Running_only_for_manifests(string? phase, bool assumeRunning, string expected) =>
        Assert.Equal(expected, PodParser.Parse(Pod(phase: phase), assumeRunning).Value.Phase);

    [Fact]
    public void Missing_namespace_is_the_default_one() =>
        Assert.Equal("default/a", PodParser.Parse(Pod(ns: null), false).Value.Key);

    [Fact]
    public void Container_ports_default_to_TCP_and_keep_names()
    {
        var pod = Pod();
        pod.Spec.Containers =
        [
            new V1Container { Name = "web", Ports = [new V1ContainerPort { ContainerPort = 80, Name = "serve-80-tcp" }, new V1ContainerPort { ContainerPort = 81, Protocol = "UDP" }] },
            new V1Container { Name = "sctp", Ports = [new V1ContainerPort { ContainerPort = 82, Name = "s", Protocol = "SCTP" }, new V1ContainerPort { ContainerPort = 83, Protocol = "ICMP" }] },
        ];

        var parsed = PodParser.Parse(pod, false);

        Assert.Equal(
            [new ContainerPort("serve-80-tcp", 80, Protocol.Tcp), new ContainerPort(null, 81, Protocol.Udp), new ContainerPort("s", 82, Protocol.Sctp)],
            parsed.Value.Ports.AsEnumerable());
        var problem = Assert.Single(parsed.Problems);
        Assert.Equal("spec.containers[1].ports[1].protocol", problem.Field);
        Assert.Equal("unknown protocol \"ICMP\" (must be TCP, UDP or SCTP): port ignored", problem.Message);
    }

    [Fact]
    public void Network_status_skips_the_default_network_and_reads_the_others()
    {
        var parsed = WithStatus("""
            [{"name":"cbr0","interface":"eth0","ips":["10.244.0.5"],"default":true},
             {"name":"y/net1","interface":"net1","ips":["10.9.0.5","fd00::5"],"mac":"02:00:00:00:00:05"},
             {"name":"net2","interface":"net2"}]
            """);

        Assert.Empty(parsed.Problems);
        Assert.Collection(
            parsed.Value.Interfaces,
            i =>
            {
                Assert.Equal(new NetworkRef("y", "net1"), i.Network);
                Assert.Equal("net1", i.Interface);
                Assert.Equal([IPAddress.Parse("10.9.0.5"), IPAddress.Parse("fd00::5")], i.Addresses.AsEnumerable());
                Assert.Equal("02:00:00:00:00:05", i.Mac);
            },
            i =>
            {
                Assert.Equal(new NetworkRef("x", "net2"), i.Network);
                Assert.Empty(i.Addresses);
                Assert.Null(i.Mac);
            });
    }

    [Theory]
    [InlineData("""[{"interface":"net1","ips":["10.0.0.1"]}]""", "\"name\" must be nad or namespace/nad, not nothing: entry ignored")]
    [InlineData("""[{"name":"a/b/c","interface":"net1"}]""", "\"name\" must be nad or namespace/nad, not the string \"a/b/c\": entry ignored")]
    [InlineData("""[{"name":"net1","ips":["10.0.0.1"]}]""", "\"interface\" must be a non-empty string, not nothing: entry ignored")]
    [InlineData("""[{"name":"net1","interface":"net1","ips":["10.0.0.300"]}]""", "\"ips\" holds the string \"10.0.0.300\", which is not an IP address: entry ignored")]
    [InlineData("""[{"name":"net1","interface":"net1","ips":["10.0.0.1/24"]}]""", "\"ips\" holds the string \"10.0.0.1/24\", which is not an IP address: entry ignored")]
    [InlineData("""[{"name":"net1","interface":"net1","ips":"10.0.0.1"}]""", "\"ips\" must be a list of addresses, not the string \"10.0.0.1\": entry ignored")]
    [InlineData("""[{"name":"net1","interface":"net1","default":"no"}]""", "\"default\" must be a boolean, not the string \"no\": entry ignored")]
    [InlineData("""[{"name":"net1","interface":"net1","mac":5}]""", "\"mac\" must be a string, not the number 5: entry ignored")]
    [InlineData("""["net1"]""", "must be an object, not the string \"net1\": entry ignored")]
    public void Bad_network_status_entries_are_dropped_whole(string status, string message)
    {
        var parsed = WithStatus(status);

        Assert.Empty(parsed.Value.Interfaces);
        var problem = Assert.Single(parsed.Problems);
        Assert.Equal("Pod", problem.Kind);
        Assert.Equal("metadata.annotations[k8s.v1.cni.cncf.io/network-status][0]", problem.Field);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void A_bad_entry_does_not_drop_the_good_ones()
    {
        var parsed = WithStatus("""[{"name":"net1","interface":"net1","ips":["bad"]},{"name":"net2","interface":"net2","ips":["10.0.0.2"]}]""");

        Assert.Equal("net2", Assert.Single(parsed.Value.Interfaces).Interface);
        Assert.Equal("metadata.annotations[k8s.v1.cni.cncf.io/network-status][0]", Assert.Single(parsed.Problems).Field);
    }

    [Theory]
    [InlineData("[{\"name\":", "does not parse as JSON")]
    [InlineData("{\"name\":\"net1\"}", "must be a list, not an object")]
    public void Unparsable_network_status_means_no_interfaces(string status, string messageStart)
    {
        var parsed = WithStatus(status);

        Assert.Empty(parsed.Value.Interfaces);
        var problem = Assert.Single(parsed.Problems);
        Assert.Equal("metadata.annotations[k8s.v1.cni.cncf.io/network-status]", problem.Field);
        Assert.StartsWith(messageStart, problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("the pod has no secondary interfaces", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Networks_annotation_comma_form()
    {
        var parsed = WithNetworks(" net1, y/net2@eth5 ,, net3@ extra");

        Assert.Collection(
            parsed.Value.RequestedNetworks,
            r =>
            {
                Assert.Equal(new NetworkRef("x", "net1"), r.Network);
                Assert.Null(r.Interface);
            },
            r =>
            {
                Assert.Equal(new NetworkRef("y", "net2"), r.Network);
                Assert.Equal("eth5", r.Interface);
            },
            r => Assert.Equal("extra", r.Interface));
        Assert.Empty(parsed.Problems);
    }

    [Fact]
    public void Networks_annotation_comma_form_reports_bad_entries()
    {
        var parsed = WithNetworks("net1@, a/b/c, net2");

        Assert.Equal([new NetworkRef("x", "net2")], parsed.Value.RequestedNetworks.Select(r => r.Network));
        Assert.Equal(
            ["metadata.annotations[k8s.v1.cni.cncf.io/networks][0]", "metadata.annotations[k8s.v1.cni.cncf.io/networks][1]"],
            parsed.Problems.Select(p => p.Field));
        Assert.Equal("\"net1@\" is not [namespace/]name[@interface]: entry ignored", parsed.Problems[0].Message);
    }

    [Fact]
    public void Networks_annotation_json_form()
    {
        var parsed = WithNetworks("""
            [{"name":"net1","interface":"eth1","ips":["10.9.0.5/24","fd00::5/64"]},
             {"name":"net2","namespace":"y"},
             {"name":"net3","ips":["10.1.1.1"]}]
            """);

        Assert.Empty(parsed.Problems);
        Assert.Collection(
            parsed.Value.RequestedNetworks,
            r =>
            {
                Assert.Equal(new NetworkRef("x", "net1"), r.Network);
                Assert.Equal("eth1", r.Interface);
                Assert.Equal(["10.9.0.5/24", "fd00::5/64"], r.Ips.AsEnumerable());
            },
            r => Assert.Equal(new NetworkRef("y", "net2"), r.Network),
            r => Assert.Equal(["10.1.1.1"], r.Ips.AsEnumerable()));
    }

    [Theory]
    [InlineData("""[{"interface":"eth1"}]""", "metadata.annotations[k8s.v1.cni.cncf.io/networks][0]", "\"name\" must be a network name: entry ignored")]
    [InlineData("""[{"name":"net1","ips":["nope"]}]""", "metadata.annotations[k8s.v1.cni.cncf.io/networks][0]", "\"ips\" holds the string \"nope\", which is not an address or address/prefix: entry ignored")]
    [InlineData("""[{"name":"net1","interface":""}]""", "metadata.annotations[k8s.v1.cni.cncf.io/networks][0]", "\"interface\" must be a non-empty string: entry ignored")]
    [InlineData("""[{"name":"net1",]""", "metadata.annotations[k8s.v1.cni.cncf.io/networks]", "does not parse as JSON")]
    public void Networks_annotation_json_form_reports_bad_entries(string networks, string field, string messageStart)
    {
        var parsed = WithNetworks(networks);

        Assert.Empty(parsed.Value.RequestedNetworks);
        var problem = Assert.Single(parsed.Problems);
        Assert.Equal(field, problem.Field);
        Assert.StartsWith(messageStart, problem.Message, StringComparison.Ordinal);
    }
}
