namespace Mnp.Policy.Input;

/// <summary>Identity of an object in the builder: kind, namespace ("" for a Namespace) and name.</summary>
public readonly record struct ObjectKey(string Kind, string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
