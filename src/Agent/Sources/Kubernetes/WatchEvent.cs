using System.Text.Json;

namespace Mnp.Agent.Sources.Kubernetes;

/// <summary>One line of a watch stream: ADDED, MODIFIED, DELETED or BOOKMARK, with the object (parsed, not yet trimmed).</summary>
public readonly record struct WatchEvent(string Type, JsonElement Object);
