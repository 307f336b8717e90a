using System.Collections.Immutable;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab;

/// <summary>One secondary interface of a lab pod: a macvlan child of its network's parent. <see cref="Mac"/> is known once created.</summary>
public sealed record LabInterface(NetworkRef Network, string Interface, ImmutableArray<LabAddress> Addresses, string? Mac)
{
    /// <summary>Structural: the addresses compare by content (ImmutableArray alone compares by reference).</summary>
    public bool Equals(LabInterface? other) =>
        other is not null && Network == other.Network && Interface == other.Interface && Mac == other.Mac
        && Addresses.SequenceEqual(other.Addresses);

    public override int GetHashCode() => HashCode.Combine(Network, Interface, Mac, Addresses.Length);
}
