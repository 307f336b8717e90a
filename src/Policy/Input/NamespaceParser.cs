using k8s.Models;
using Mnp.Policy.Cluster;

namespace Mnp.Policy.Input;

/// <summary>Reads a Namespace into its name and labels.</summary>
public static class NamespaceParser
{
    /// <summary>The label the API server puts on every namespace.</summary>
    public const string MetadataNameLabel = "kubernetes.io/metadata.name";

    /// <summary>
    /// The API server sets <see cref="MetadataNameLabel"/> itself, so the agent takes labels as they
    /// are; for hand-written manifests pass <paramref name="addMetadataNameLabel"/> to add it when absent.
    /// </summary>
    public static NamespaceInfo Parse(V1Namespace ns, bool addMetadataNameLabel)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var name = ns.Metadata?.Name ?? string.Empty;
        var labels = (ns.Metadata?.Labels ?? new Dictionary<string, string>()).ToImmutableDictionary(StringComparer.Ordinal);
        if (addMetadataNameLabel && !labels.ContainsKey(MetadataNameLabel))
        {
            labels = labels.Add(MetadataNameLabel, name);
        }

        return new NamespaceInfo(name, labels);
    }

    /// <summary>A namespace known only by name (used in manifests), labelled as the API server would.</summary>
    public static NamespaceInfo Implicit(string name) =>
        new(name, ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal).Add(MetadataNameLabel, name));
}
