using System.Collections.Immutable;
namespace Mnp.Agent.Lab;

/// <summary>A pod of the lab: its named network namespace and its secondary interfaces.</summary>
public sealed record LabPod(string Namespace, string Name, string Netns, ImmutableArray<LabInterface> Interfaces)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string Key => $"{Namespace}/{Name}";

    /// <summary>Structural: the interfaces compare by content (ImmutableArray alone compares by reference).</summary>
    public bool Equals(LabPod? other) =>
        other is not null && Namespace == other.Namespace && Name == other.Name && Netns == other.Netns
        && Interfaces.SequenceEqual(other.Interfaces);

    public override int GetHashCode() => HashCode.Combine(Namespace, Name, Netns, Interfaces.Length);
}
