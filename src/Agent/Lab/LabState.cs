using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Mnp.Native.Backends;

namespace Mnp.Agent.Lab;

/// <summary>
/// What a lab is made of: persisted as <c>/run/mnp/lab/NAME/state.json</c> before anything is created (so
/// <c>down</c> can remove a half-built lab) and again with the MACs once it is up.
/// </summary>
public sealed record LabState(string Name, string NodeNetns, ImmutableArray<LabNetwork> Networks, ImmutableArray<LabPod> Pods)
{
    /// <summary><c>up --no-rules</c>: the lab's rules belong to an agent; up, apply and delete never program any.</summary>
    public bool NoRules { get; init; }

    /// <summary><c>up --backend</c>: which backend up, apply and delete program the rules with (a state without it: iptables).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<FirewallBackendKind>))]
    public FirewallBackendKind Backend { get; init; } = FirewallBackendKind.Iptables;

    /// <summary>Every named namespace the lab owns: the pods' and the node's.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<string> AllNetns => Pods.Select(p => p.Netns).Append(NodeNetns);

    /// <summary>Structural: networks and pods compare by content, so a state read back from disk equals the one saved.</summary>
    public bool Equals(LabState? other) =>
        other is not null && Name == other.Name && NodeNetns == other.NodeNetns && NoRules == other.NoRules && Backend == other.Backend
        && Networks.SequenceEqual(other.Networks) && Pods.SequenceEqual(other.Pods);

    public override int GetHashCode() => HashCode.Combine(Name, NodeNetns, Networks.Length, Pods.Length);

    public LabPod? FindPod(string key) => Pods.FirstOrDefault(p => p.Key == key);
}
