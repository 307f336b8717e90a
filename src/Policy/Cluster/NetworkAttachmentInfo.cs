namespace Mnp.Policy.Cluster;

/// <summary>A NetworkAttachmentDefinition: its CNI plugin type (null when the config does not parse) and raw config.</summary>
public sealed record NetworkAttachmentInfo(string Namespace, string Name, string? PluginType, string? Config)
{
    public NetworkRef Ref => new(Namespace, Name);
}
