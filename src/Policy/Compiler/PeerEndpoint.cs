using Mnp.Policy.Cluster;

namespace Mnp.Policy.Compiler;

/// <summary>A policy-endpoint pod and its addresses on one network (all its interfaces there).</summary>
internal sealed record PeerEndpoint(PodInfo Pod, ImmutableArray<IPAddress> Addresses);
