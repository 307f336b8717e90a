using System.Collections.Immutable;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Lab;

/// <summary>
/// The operator settings a lab's rules were compiled with (<c>ROOT/NAME/policy-options.json</c>): <c>up</c> records
/// them and later <c>apply</c>/<c>delete</c> keep using them unless given new ones, so a change of objects never
/// silently changes how every pod is compiled.
/// </summary>
public sealed record LabPolicySettings(ImmutableArray<string> NetworkPlugins, bool AcceptIcmp, bool AcceptIcmpV6, bool AcceptNeighborDiscovery)
{
    public static LabPolicySettings From(PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new([.. options.ManagedPlugins.Order(StringComparer.Ordinal)], options.AcceptIcmp, options.AcceptIcmpV6, options.AcceptNeighborDiscovery);
    }

    public PolicyOptions ToOptions() => new()
    {
        ManagedPlugins = NetworkPlugins.IsDefault ? PolicyOptions.DefaultPlugins : NetworkPlugins.ToImmutableHashSet(StringComparer.Ordinal),
        AcceptIcmp = AcceptIcmp,
        AcceptIcmpV6 = AcceptIcmpV6,
        AcceptNeighborDiscovery = AcceptNeighborDiscovery,
    };

    /// <summary>Structural: the plugin lists compare by content.</summary>
    public bool Equals(LabPolicySettings? other) =>
        other is not null && NetworkPlugins.SequenceEqual(other.NetworkPlugins) && AcceptIcmp == other.AcceptIcmp
        && AcceptIcmpV6 == other.AcceptIcmpV6 && AcceptNeighborDiscovery == other.AcceptNeighborDiscovery;

    public override int GetHashCode() => HashCode.Combine(NetworkPlugins.Length, AcceptIcmp, AcceptIcmpV6, AcceptNeighborDiscovery);
}
