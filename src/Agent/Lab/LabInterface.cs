using System.Collections.Immutable;
using System.Net;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab;

/// <summary>One secondary interface of a lab pod: a macvlan child of its network's parent. <see cref="Mac"/> is known once created.</summary>
public sealed record LabInterface(NetworkRef Network, string Interface, ImmutableArray<LabAddress> Addresses, string? Mac);
