using Mnp.Policy.Cluster;

namespace Mnp.Policy.Spec;

/// <summary>
/// One valid entry of a rule's <c>ports</c>: every port of <see cref="Protocol"/> when both
/// <see cref="Port"/> and <see cref="Name"/> are null; <see cref="Port"/>..<see cref="EndPort"/>
/// (or just <see cref="Port"/>); or the destination pod's container port called <see cref="Name"/>.
/// </summary>
public sealed record PortSpec(Protocol Protocol, int? Port, int? EndPort, string? Name)
{
    public bool IsAllPorts => Port is null && Name is null;
}
