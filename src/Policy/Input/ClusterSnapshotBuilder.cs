using System.Text.Json;
using k8s;
using k8s.Models;
using Mnp.Policy.Cluster;
using Mnp.Policy.Spec;

namespace Mnp.Policy.Input;

/// <summary>
/// A mutable collection of cluster objects keyed by kind, namespace and name: the agent feeds it
/// watch events, the CLI feeds it manifests. <see cref="Build"/> gives an immutable
/// <see cref="ClusterSnapshot"/> sorted by namespace and name, with every problem found. Objects fed
/// as manifests are kept as they were read (<see cref="ManifestObjects"/>), so the lab can write them
/// back. Not thread-safe: one writer at a time.
/// </summary>
public sealed class ClusterSnapshotBuilder(SnapshotInputOptions options)
{
    private readonly Dictionary<ObjectKey, SnapshotEntry> _entries = [];

    public ClusterSnapshotBuilder()
        : this(SnapshotInputOptions.Cluster)
    {
    }

    public SnapshotInputOptions Options { get; } = options;

    /// <summary>How many objects the builder holds (including those that failed to parse).</summary>
    public int Count => _entries.Count;

    /// <summary>The objects fed through <see cref="Apply(ManifestObject)"/>, sorted by kind, namespace and name.</summary>
    public IReadOnlyList<ManifestObject> ManifestObjects =>
        [.. _entries.OrderBy(e => e.Key.Kind, StringComparer.Ordinal).ThenBy(e => e.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(e => e.Key.Name, StringComparer.Ordinal).Select(e => e.Value.Manifest).OfType<ManifestObject>()];

    /// <summary>A whole snapshot from manifest objects (later objects with the same key replace earlier ones).</summary>
    public static ClusterSnapshot FromManifests(IEnumerable<ManifestObject> objects, SnapshotInputOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var builder = new ClusterSnapshotBuilder(options ?? SnapshotInputOptions.Manifests);
        foreach (var obj in objects)
        {
            builder.Apply(obj);
        }

        return builder.Build();
    }

    public void SetNamespace(NamespaceInfo ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        Set(new ObjectKey(ManifestKinds.Namespace, string.Empty, ns.Name), ns, [], null);
    }

    public void SetPod(PodInfo pod, ImmutableArray<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(pod);
        Set(new ObjectKey(ManifestKinds.Pod, pod.Namespace, pod.Name), pod, problems, null);
    }

    public void SetNetwork(NetworkAttachmentInfo network, ImmutableArray<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(network);
        Set(new ObjectKey(ManifestKinds.NetworkAttachmentDefinition, network.Namespace, network.Name), network, problems, null);
    }

    public void SetPolicy(PolicyInfo policy, ImmutableArray<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Set(new ObjectKey(ManifestKinds.MultiNetworkPolicy, policy.Namespace, policy.Name), policy, problems, null);
    }

    public void UpsertNamespace(V1Namespace ns) => SetNamespace(NamespaceParser.Parse(ns, Options.AddNamespaceNameLabel));

    public void UpsertPod(V1Pod pod)
    {
        var parsed = PodParser.Parse(pod, Options.AssumeRunningWhenPhaseMissing, Options.DefaultNamespace);
        SetPod(parsed.Value, parsed.Problems);
    }

    public void UpsertNetwork(JsonElement definition)
    {
        var parsed = NetworkAttachmentDefinitionParser.Parse(definition, Options.DefaultNamespace);
        SetNetwork(parsed.Value, parsed.Problems);
    }

    public void UpsertPolicy(JsonElement policy)
    {
        var parsed = MultiNetworkPolicyParser.Parse(policy, Options.DefaultNamespace);
        SetPolicy(parsed.Value, parsed.Problems);
    }

    /// <summary>
    /// Creates or replaces the object a manifest holds and keeps the manifest. A Pod or Namespace
    /// that does not deserialise is kept as a problem only (it contributes nothing to the snapshot).
    /// </summary>
    public void Apply(ManifestObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var key = KeyOf(obj);
        var (value, problems) = obj.Kind switch
        {
            ManifestKinds.Namespace => Deserialize<V1Namespace>(obj, ns => (NamespaceParser.Parse(ns, Options.AddNamespaceNameLabel), [])),
            ManifestKinds.Pod => Deserialize<V1Pod>(obj, pod =>
            {
                var parsed = PodParser.Parse(pod, Options.AssumeRunningWhenPhaseMissing, Options.DefaultNamespace);
                return (parsed.Value, parsed.Problems);
            }),
            ManifestKinds.NetworkAttachmentDefinition => Unpack(NetworkAttachmentDefinitionParser.Parse(obj.Json, Options.DefaultNamespace)),
            ManifestKinds.MultiNetworkPolicy => Unpack(MultiNetworkPolicyParser.Parse(obj.Json, Options.DefaultNamespace)),
            _ => throw new ArgumentException($"{obj.Kind} is not a kind the snapshot holds", nameof(obj)),
        };
        Set(key, value, problems, obj);
    }

    public bool Remove(ManifestObject obj) => Remove(KeyOf(obj));

    public bool Remove(ObjectKey key) => _entries.Remove(key);

    public bool RemoveNamespace(string name) => Remove(new ObjectKey(ManifestKinds.Namespace, string.Empty, name));

    public bool RemovePod(string ns, string name) => Remove(new ObjectKey(ManifestKinds.Pod, ns, name));

    public bool RemoveNetwork(string ns, string name) => Remove(new ObjectKey(ManifestKinds.NetworkAttachmentDefinition, ns, name));

    public bool RemovePolicy(string ns, string name) => Remove(new ObjectKey(ManifestKinds.MultiNetworkPolicy, ns, name));

    /// <summary>The manifest an object was fed as, if it was fed through <see cref="Apply(ManifestObject)"/>.</summary>
    public bool TryGetManifestObject(ObjectKey key, out ManifestObject? manifest)
    {
        manifest = _entries.TryGetValue(key, out var entry) ? entry.Manifest : null;
        return manifest is not null;
    }

    public ClusterSnapshot Build()
    {
        var pods = Values<PodInfo>().OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToImmutableArray();
        var networks = Values<NetworkAttachmentInfo>().OrderBy(n => n.Ref).ToImmutableArray();
        var policies = Values<PolicyInfo>().OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToImmutableArray();
        var namespaces = Values<NamespaceInfo>().ToList();
        if (Options.ImplicitNamespaces)
        {
            AddImplicitNamespaces(namespaces, pods, networks, policies);
        }

        var problems = _entries.Values.SelectMany(e => e.Problems)
            .OrderBy(p => p.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Kind, StringComparer.Ordinal)
            .ToImmutableArray();
        return new ClusterSnapshot([.. namespaces.OrderBy(n => n.Name, StringComparer.Ordinal)], pods, networks, policies, problems);
    }

    public static ObjectKey KeyOf(ManifestObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new ObjectKey(obj.Kind, obj.Namespace ?? string.Empty, obj.Name);
    }

    private static void AddImplicitNamespaces(
        List<NamespaceInfo> namespaces, ImmutableArray<PodInfo> pods, ImmutableArray<NetworkAttachmentInfo> networks, ImmutableArray<PolicyInfo> policies)
    {
        var known = namespaces.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var used = pods.Select(p => p.Namespace).Concat(networks.Select(n => n.Namespace)).Concat(policies.Select(p => p.Namespace));
        foreach (var name in used.Where(n => n.Length > 0 && known.Add(n)))
        {
            namespaces.Add(NamespaceParser.Implicit(name));
        }
    }

    private IEnumerable<T> Values<T>() => _entries.Values.Select(e => e.Value).OfType<T>();

    private void Set(ObjectKey key, object? value, ImmutableArray<Problem> problems, ManifestObject? manifest) =>
        _entries[key] = new SnapshotEntry(value, problems.IsDefault ? [] : problems, manifest);

    private static (object? Value, ImmutableArray<Problem> Problems) Unpack<T>(Parsed<T> parsed) => (parsed.Value, parsed.Problems);

    private static (object? Value, ImmutableArray<Problem> Problems) Deserialize<T>(ManifestObject obj, Func<T, (object Value, ImmutableArray<Problem> Problems)> parse)
        where T : class
    {
        try
        {
            var typed = KubernetesJson.Deserialize<T>(obj.Json.GetRawText());
            return typed is null ? (null, [Unreadable(obj, string.Empty, "is empty")]) : parse(typed);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : string.Empty;
            var message = e.Message.ReplaceLineEndings(" ");
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            return (null, [Unreadable(obj, field, $"does not deserialise ({(cut > 0 ? message[..cut] : message)}): object ignored")]);
        }
    }

    private static Problem Unreadable(ManifestObject obj, string field, string message) =>
        new(obj.Kind, obj.Namespace ?? string.Empty, obj.Name, field, message);
}
