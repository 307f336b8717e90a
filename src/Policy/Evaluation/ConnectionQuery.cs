using Mnp.Policy.Cluster;
using Mnp.Policy.Netfilter;

namespace Mnp.Policy.Evaluation;

/// <summary>
/// A new connection to decide: from <see cref="From"/> to <see cref="To"/> on destination <see cref="Port"/>
/// (a number, or a container port NAME resolved on the destination pod) over <see cref="Protocol"/>.
/// <see cref="Network"/> null = the single network both ends share; <see cref="Family"/> null = the family
/// of an IP end, else the one family the pod ends share on the network, else (dual-stack ends) IPv4.
/// </summary>
public sealed record ConnectionQuery(
    EndpointRef From,
    EndpointRef To,
    string Port,
    Protocol Protocol = Protocol.Tcp,
    NetworkRef? Network = null,
    IpFamily? Family = null);
