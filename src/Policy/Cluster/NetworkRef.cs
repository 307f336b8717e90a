namespace Mnp.Policy.Cluster;

/// <summary>A NetworkAttachmentDefinition reference, <c>namespace/name</c>.</summary>
public readonly record struct NetworkRef(string Namespace, string Name) : IComparable<NetworkRef>
{
    public override string ToString() => $"{Namespace}/{Name}";

    public int CompareTo(NetworkRef other)
    {
        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary>Parses <c>nad</c> or <c>namespace/nad</c>; a bare name means <paramref name="defaultNamespace"/>.</summary>
    public static bool TryParse(string text, string defaultNamespace, out NetworkRef value)
    {
        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var ns = slash < 0 ? defaultNamespace : trimmed[..slash].Trim();
        var name = slash < 0 ? trimmed : trimmed[(slash + 1)..].Trim();
        value = new NetworkRef(ns, name);
        return ns.Length > 0 && name.Length > 0 && !name.Contains('/', StringComparison.Ordinal);
    }
}
