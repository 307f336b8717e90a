using System.Collections.Immutable;
using System.Text.Json;

namespace Mnp.Agent.Sources.Kubernetes;

/// <summary>Every item of a (paged) list and the resourceVersion to watch from.</summary>
public sealed record ListResult(ImmutableArray<JsonElement> Items, string ResourceVersion);
