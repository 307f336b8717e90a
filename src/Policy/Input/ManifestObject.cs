using System.Text.Json;

namespace Mnp.Policy.Input;

/// <summary>One supported Kubernetes object read from a manifest, with where it came from (for messages).</summary>
public sealed record ManifestObject(string ApiVersion, string Kind, string? Namespace, string Name, JsonElement Json, string Source, int Line)
{
    /// <summary><c>Kind ns/name</c> (or <c>Kind name</c> for cluster-scoped objects).</summary>
    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
