namespace Mnp.Policy.Cluster;

/// <summary>A Namespace as the engine needs it.</summary>
public sealed record NamespaceInfo(string Name, ImmutableDictionary<string, string> Labels);
