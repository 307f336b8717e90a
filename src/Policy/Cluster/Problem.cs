using Mnp.Policy.Input;

namespace Mnp.Policy.Cluster;

/// <summary>One invalid part of one object: reported, never widening access.</summary>
public sealed record Problem(string Kind, string Namespace, string Name, string Field, string Message)
{
    /// <summary>One line whatever the names hold: object names and fields come from input and are escaped when they could break it.</summary>
    public override string ToString()
    {
        var what = $"{Kind} {MessageText.Name(Namespace)}/{MessageText.Name(Name)}";
        return Field.Length == 0 ? $"{what}: {Message}" : $"{what}: {MessageText.Name(Field)}: {Message}";
    }
}
