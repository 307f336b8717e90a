using System.Collections.Immutable;
using System.Text.Json;
using k8s;
using k8s.Models;
using Mnp.Policy.Cluster;
using Mnp.Policy.Input;

namespace Mnp.Agent.Sources.Kubernetes;

/// <summary>One watched kind: where it is listed and how an item is trimmed to what the engine keeps.</summary>
public sealed record WatchedResource(string Kind, string Path, Func<JsonElement, (object? Value, ImmutableArray<Problem> Problems)> Trim)
{
    public static WatchedResource Pods { get; } = new(ManifestKinds.Pod, "/api/v1/pods", item => Typed<V1Pod>(item, ManifestKinds.Pod, pod =>
    {
        var parsed = PodParser.Parse(pod, assumeRunningWhenPhaseMissing: false);
        return (parsed.Value, parsed.Problems);
    }));

    public static WatchedResource Namespaces { get; } = new(ManifestKinds.Namespace, "/api/v1/namespaces",
        item => Typed<V1Namespace>(item, ManifestKinds.Namespace, ns => (NamespaceParser.Parse(ns, addMetadataNameLabel: false), [])));

    public static WatchedResource Networks { get; } = new(ManifestKinds.NetworkAttachmentDefinition, "/apis/k8s.cni.cncf.io/v1/network-attachment-definitions", item =>
    {
        var parsed = NetworkAttachmentDefinitionParser.Parse(item);
        return (parsed.Value, parsed.Problems);
    });

    public static WatchedResource Policies(string version) => new(ManifestKinds.MultiNetworkPolicy, $"/apis/k8s.cni.cncf.io/{version}/multi-networkpolicies", item =>
    {
        var parsed = MultiNetworkPolicyParser.Parse(item);
        return (parsed.Value, parsed.Problems);
    });

    /// <summary>The object's key from its metadata (namespace "" for cluster-scoped kinds).</summary>
    public ObjectKey KeyOf(JsonElement item)
    {
        var metadata = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("metadata", out var m) ? m : default;
        return new ObjectKey(Kind, Kind == ManifestKinds.Namespace ? string.Empty : Text(metadata, "namespace") ?? "default", Text(metadata, "name") ?? string.Empty);
    }

    public static string? ResourceVersionOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("metadata", out var m) ? Text(m, "resourceVersion") : null;

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static (object? Value, ImmutableArray<Problem> Problems) Typed<T>(JsonElement item, string kind, Func<T, (object Value, ImmutableArray<Problem> Problems)> parse)
        where T : class
    {
        try
        {
            return KubernetesJson.Deserialize<T>(item.GetRawText()) is { } typed ? parse(typed) : (null, []);
        }
        catch (JsonException e)
        {
            var metadata = item.TryGetProperty("metadata", out var m) ? m : default;
            return (null, [new Problem(kind, Text(metadata, "namespace") ?? string.Empty, Text(metadata, "name") ?? string.Empty, string.Empty,
                $"does not deserialise ({e.Message.ReplaceLineEndings(" ")}): object ignored")]);
        }
    }
}
