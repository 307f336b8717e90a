namespace Mnp.Policy.Cluster;

/// <summary>One invalid part of one object: reported, never widening access.</summary>
public sealed record Problem(string Kind, string Namespace, string Name, string Field, string Message)
{
    public override string ToString() =>
        Field.Length == 0 ? $"{Kind} {Namespace}/{Name}: {Message}" : $"{Kind} {Namespace}/{Name}: {Field}: {Message}";
}
