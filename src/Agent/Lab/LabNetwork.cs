using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab;

/// <summary>A NetworkAttachmentDefinition in the lab: a veth pair in the node namespace; <see cref="Parent"/> carries the macvlans.</summary>
public sealed record LabNetwork(NetworkRef Network, string Parent, string Peer);
