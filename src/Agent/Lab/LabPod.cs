using System.Collections.Immutable;
using System.Net;
namespace Mnp.Agent.Lab;

/// <summary>A pod of the lab: its named network namespace and its secondary interfaces.</summary>
public sealed record LabPod(string Namespace, string Name, string Netns, ImmutableArray<LabInterface> Interfaces)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string Key => $"{Namespace}/{Name}";
}
