using k8s.Models;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;
using Mnp.Policy.Spec;

namespace Mnp.Tests.Unit.Input;

public sealed class ClusterSnapshotBuilderTests
{
    /// <summary>A realistic manifest set as a user would write it for the CLI.</summary>
    private const string Manifests = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: x
          labels: {ns: x}
        ---
        apiVersion: k8s.cni.cncf.io/v1
        kind: NetworkAttachmentDefinition
        metadata: {name: net1, namespace: x}
        spec:
          config: '{"cniVersion":"0.3.1","type":"macvlan","mode":"bridge","ipam":{"type":"static"}}'
        ---
        apiVersion: k8s.cni.cncf.io/v1
        kind: NetworkAttachmentDefinition
        metadata: {name: net2, namespace: y}
        spec:
          config: '{"cniVersion":"0.4.0","name":"net2","plugins":[{"type":"bridge"},{"type":"tuning"}]}'
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: b
          namespace: x
          labels: {pod: b}
          annotations:
            k8s.v1.cni.cncf.io/networks: net1
            k8s.v1.cni.cncf.io/network-status: |
              [{"name": "cbr0", "interface": "eth0", "ips": ["10.244.0.7"], "default": true},
               {"name": "x/net1", "interface": "net1", "ips": ["10.9.0.7"], "mac": "02:00:00:00:00:07"}]
        spec:
          containers:
          - name: web
            image: busybox
            ports:
            - {name: serve-80-tcp, containerPort: 80}
            - {containerPort: 81, protocol: UDP}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: a
          namespace: x
          labels: {pod: a}
          annotations:
            k8s.v1.cni.cncf.io/networks: '[{"name": "net1", "interface": "net1", "ips": ["10.9.0.5/24"]}, {"name": "net2", "namespace": "y"}]'
            k8s.v1.cni.cncf.io/network-status: '[{"name": "net1", "interface": "net1", "ips": ["10.9.0.5"]}, {"name": "y/net2", "interface": "net2", "ips": ["fd00:9::5"]}]'
        spec:
          containers: [{name: c, image: busybox}]
        status: {phase: Pending}
        ---
        apiVersion: k8s.cni.cncf.io/v1beta1
        kind: MultiNetworkPolicy
        metadata:
          name: allow-b
          namespace: x
          annotations: {k8s.v1.cni.cncf.io/policy-for: net1}
        spec:
          podSelector: {matchLabels: {pod: a}}
          ingress:
          - from: [{podSelector: {matchLabels: {pod: b}}}]
            ports: [{port: serve-80-tcp}, {port: "80"}]
        ---
        apiVersion: k8s.cni.cncf.io/v1beta2
        kind: MultiNetworkPolicy
        metadata:
          name: deny-egress
          namespace: x
          annotations: {k8s.v1.cni.cncf.io/policy-for: "x/net1, y/net2"}
        spec:
          podSelector: {}
          policyTypes: [Egress]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: ignored, namespace: x}
        """;

    private static ClusterSnapshot FromText(string text) =>
        ClusterSnapshotBuilder.FromManifests(ManifestParser.Parse(text, "set.yaml").Objects);

    [Fact]
    public void A_realistic_manifest_set_becomes_a_sorted_snapshot()
    {
        var snapshot = FromText(Manifests);

        Assert.Equal(["x", "y"], snapshot.Namespaces.Select(n => n.Name));
        Assert.Equal("x", snapshot.Namespaces[0].Labels["ns"]);
        Assert.Equal("x", snapshot.Namespaces[0].Labels[NamespaceParser.MetadataNameLabel]);
        Assert.Equal("y", snapshot.Namespaces[1].Labels[NamespaceParser.MetadataNameLabel]);

        Assert.Equal(["x/net1 macvlan", "y/net2 bridge"], snapshot.Networks.Select(n => $"{n.Ref} {n.PluginType}"));

        Assert.Equal(["x/a", "x/b"], snapshot.Pods.Select(p => p.Key));
        var a = snapshot.Pods[0];
        Assert.Equal("Pending", a.Phase);
        Assert.Equal(["x/net1 net1 10.9.0.5", "y/net2 net2 fd00:9::5"], a.Interfaces.Select(i => $"{i.Network} {i.Interface} {string.Join(",", i.Addresses)}"));
        Assert.Equal(["x/net1", "y/net2"], a.RequestedNetworks.Select(r => r.Network.ToString()));
        var b = snapshot.Pods[1];
        Assert.Equal("Running", b.Phase);
        Assert.True(b.IsPolicyEndpoint);
        Assert.Equal("02:00:00:00:00:07", Assert.Single(b.Interfaces).Mac);
        Assert.Equal([new ContainerPort("serve-80-tcp", 80, Protocol.Tcp), new ContainerPort(null, 81, Protocol.Udp)], b.Ports.AsEnumerable());

        Assert.Equal(["x/allow-b", "x/deny-egress"], snapshot.Policies.Select(p => p.Key));
        var allow = snapshot.Policies[0].Spec!;
        Assert.True(allow.AffectsIngress);
        Assert.False(allow.AffectsEgress);
        Assert.Equal([new PortSpec(Protocol.Tcp, null, null, "serve-80-tcp")], Assert.Single(allow.Ingress).Ports.AsEnumerable());
        var deny = snapshot.Policies[1];
        Assert.Equal(["x/net1", "y/net2"], deny.PolicyFor.Select(n => n.ToString()));
        Assert.False(deny.Spec!.AffectsIngress);
        Assert.True(deny.Spec.AffectsEgress);
        Assert.Empty(deny.Spec.Egress);

        Assert.Equal(
            ["MultiNetworkPolicy x/allow-b: spec.ingress[0].ports[1].port: invalid port name \"80\": must contain at least one letter (a number written as a string is a port name): port ignored"],
            snapshot.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void The_same_objects_in_any_order_give_the_same_snapshot()
    {
        var objects = ManifestParser.Parse(Manifests, "set.yaml").Objects;

        var forward = ClusterSnapshotBuilder.FromManifests(objects);
        var backward = ClusterSnapshotBuilder.FromManifests(objects.Reverse());

        Assert.Equal(forward.Pods.Select(p => p.Key), backward.Pods.Select(p => p.Key));
        Assert.Equal(forward.Policies.Select(p => p.Key), backward.Policies.Select(p => p.Key));
        Assert.Equal(forward.Networks.Select(n => n.Ref), backward.Networks.Select(n => n.Ref));
        Assert.Equal(forward.Problems.AsEnumerable(), backward.Problems.AsEnumerable());
    }

    [Fact]
    public void Upserts_replace_by_key_and_removes_delete()
    {
        var builder = new ClusterSnapshotBuilder(SnapshotInputOptions.Manifests);
        foreach (var obj in ManifestParser.Parse(Manifests, "set.yaml").Objects)
        {
            builder.Apply(obj);
        }

        var relabelled = ManifestParser.Parse("apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x, labels: {pod: z}}\n", "b.yaml").Objects.Single();
        builder.Apply(relabelled);
        Assert.True(builder.RemovePolicy("x", "deny-egress"));
        Assert.False(builder.RemovePolicy("x", "deny-egress"));
        Assert.True(builder.Remove(ClusterSnapshotBuilder.KeyOf(ManifestParser.Parse(Manifests, "set.yaml").Objects[0])));
        var snapshot = builder.Build();

        Assert.Equal("z", snapshot.Pods.Single(p => p.Name == "b").Labels["pod"]);
        Assert.Empty(snapshot.Pods.Single(p => p.Name == "b").Interfaces);
        Assert.Equal(["x/allow-b"], snapshot.Policies.Select(p => p.Key));
        Assert.False(snapshot.Namespaces.Single(n => n.Name == "x").Labels.ContainsKey("ns"));
    }

    [Fact]
    public void Problems_leave_with_their_object()
    {
        var builder = new ClusterSnapshotBuilder(SnapshotInputOptions.Manifests);
        builder.UpsertPolicy(InputYaml.Policy("podSelector: {}", policyFor: null));
        Assert.Single(builder.Build().Problems);

        builder.RemovePolicy("x", "p");

        Assert.Empty(builder.Build().Problems);
    }

    [Fact]
    public void Manifest_objects_are_kept_for_writing_back()
    {
        var builder = new ClusterSnapshotBuilder(SnapshotInputOptions.Manifests);
        var objects = ManifestParser.Parse(Manifests, "set.yaml").Objects;
        foreach (var obj in objects)
        {
            builder.Apply(obj);
        }

        builder.UpsertNamespace(new V1Namespace { Metadata = new V1ObjectMeta { Name = "z" } });

        Assert.Equal(objects.Length, builder.ManifestObjects.Count);
        Assert.True(builder.TryGetManifestObject(new ObjectKey("Pod", "x", "a"), out var pod));
        Assert.Equal("Pending", pod!.Json.GetProperty("status").GetProperty("phase").GetString());
        Assert.False(builder.TryGetManifestObject(new ObjectKey("Namespace", string.Empty, "z"), out _));
    }

    [Fact]
    public void Cluster_options_take_objects_as_the_API_server_stores_them()
    {
        var builder = new ClusterSnapshotBuilder(SnapshotInputOptions.Cluster);
        builder.UpsertNamespace(new V1Namespace { Metadata = new V1ObjectMeta { Name = "x" } });
        builder.UpsertPod(new V1Pod { Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "y" } });

        var snapshot = builder.Build();

        Assert.Empty(snapshot.Namespaces.Single().Labels);
        Assert.Equal(["x"], snapshot.Namespaces.Select(n => n.Name));
        Assert.Equal("Pending", snapshot.Pods.Single().Phase);
    }

    [Fact]
    public void A_pod_that_does_not_deserialise_is_a_problem_not_a_crash()
    {
        var snapshot = FromText("""
            apiVersion: v1
            kind: Pod
            metadata: {name: broken, namespace: x}
            spec:
              containers: [{name: c, ports: [{containerPort: web}]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: fine, namespace: x}
            """);

        Assert.Equal(["x/fine"], snapshot.Pods.Select(p => p.Key));
        var problem = Assert.Single(snapshot.Problems);
        Assert.Equal("Pod x/broken", $"{problem.Kind} {problem.Namespace}/{problem.Name}");
        Assert.Equal("spec.containers[0].ports[0].containerPort", problem.Field);
        Assert.StartsWith("does not deserialise (", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("): object ignored", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_are_sorted_by_namespace_and_name()
    {
        var snapshot = FromText("""
            apiVersion: k8s.cni.cncf.io/v1beta1
            kind: MultiNetworkPolicy
            metadata: {name: z, namespace: b}
            spec: {}
            ---
            apiVersion: k8s.cni.cncf.io/v1
            kind: NetworkAttachmentDefinition
            metadata: {name: n, namespace: a}
            ---
            apiVersion: k8s.cni.cncf.io/v1beta1
            kind: MultiNetworkPolicy
            metadata: {name: y, namespace: b}
            spec: {}
            """);

        Assert.Equal(["a/n", "b/y", "b/z"], snapshot.Problems.Select(p => $"{p.Namespace}/{p.Name}"));
    }
}
