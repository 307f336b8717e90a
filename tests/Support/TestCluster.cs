using Mnp.Policy.Cluster;
using Mnp.Policy.Spec;

namespace Mnp.Tests.Support;

/// <summary>
/// Builds a <see cref="ClusterSnapshot"/> directly from records, for tests that exercise the engine
/// without going through manifests. Namespaces get <c>kubernetes.io/metadata.name</c> as the API server sets it;
/// pods are Running on node <see cref="Node"/> unless told otherwise.
/// </summary>
public sealed class TestCluster
{
    public const string Node = "node-1";

    private readonly List<NamespaceInfo> _namespaces = [];
    private readonly List<PodInfo> _pods = [];
    private readonly List<NetworkAttachmentInfo> _networks = [];
    private readonly List<PolicyInfo> _policies = [];

    public TestCluster Namespace(string name, params (string Key, string Value)[] labels)
    {
        var all = labels.ToImmutableDictionary(l => l.Key, l => l.Value).SetItem("kubernetes.io/metadata.name", name);
        _namespaces.RemoveAll(n => n.Name == name);
        _namespaces.Add(new NamespaceInfo(name, all));
        return this;
    }

    public TestCluster Network(string ns, string name, string pluginType = "macvlan")
    {
        _networks.Add(new NetworkAttachmentInfo(ns, name, pluginType, $$"""{"cniVersion":"0.3.1","type":"{{pluginType}}"}"""));
        return this;
    }

    /// <summary>Adds a pod; <paramref name="interfaces"/> are (network "ns/nad", interface, addresses).</summary>
    public TestCluster Pod(
        string ns,
        string name,
        IEnumerable<(string Key, string Value)>? labels = null,
        IEnumerable<(string Network, string Interface, string[] Addresses)>? interfaces = null,
        IEnumerable<ContainerPort>? ports = null,
        string phase = "Running",
        bool hostNetwork = false,
        string node = Node)
    {
        var ifaces = (interfaces ?? []).Select(i =>
        {
            NetworkRef.TryParse(i.Network, ns, out var network);
            return new PodInterface(network, i.Interface, [.. i.Addresses.Select(IPAddress.Parse)], null);
        });
        _pods.Add(new PodInfo(
            ns,
            name,
            $"uid-{ns}-{name}",
            (labels ?? []).ToImmutableDictionary(l => l.Key, l => l.Value),
            phase,
            hostNetwork,
            node,
            [.. ports ?? []],
            [.. ifaces],
            []));
        return this;
    }

    public TestCluster Policy(PolicyInfo policy)
    {
        _policies.RemoveAll(p => p.Key == policy.Key);
        _policies.Add(policy);
        return this;
    }

    public TestCluster RemovePolicy(string ns, string name)
    {
        _policies.RemoveAll(p => p.Namespace == ns && p.Name == name);
        return this;
    }

    public TestCluster RelabelPod(string ns, string name, params (string Key, string Value)[] labels)
    {
        var index = _pods.FindIndex(p => p.Namespace == ns && p.Name == name);
        var pod = _pods[index];
        _pods[index] = pod with { Labels = pod.Labels.SetItems(labels.Select(l => KeyValuePair.Create(l.Key, l.Value))) };
        return this;
    }

    public TestCluster RelabelNamespace(string name, params (string Key, string Value)[] labels)
    {
        var index = _namespaces.FindIndex(n => n.Name == name);
        var existing = _namespaces[index];
        _namespaces[index] = existing with { Labels = existing.Labels.SetItems(labels.Select(l => KeyValuePair.Create(l.Key, l.Value))) };
        return this;
    }

    public ClusterSnapshot Build() => new([.. _namespaces], [.. _pods], [.. _networks], [.. _policies], []);
}
