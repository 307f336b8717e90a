namespace Mnp.Policy.Cluster;

/// <summary>A declared container port; <see cref="Name"/> is what named ports in policies resolve against.</summary>
public sealed record ContainerPort(string? Name, int Number, Protocol Protocol);
