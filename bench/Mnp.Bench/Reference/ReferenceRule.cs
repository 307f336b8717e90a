using System.Collections.Immutable;
using System.Net;

namespace Mnp.Bench.Reference;

/// <summary>One ingress rule of the reference's policy: its peer pods' IPv4 addresses and its TCP ports as nft writes them (<c>80,443,8000-8080</c>).</summary>
internal sealed record ReferenceRule(ImmutableArray<IPAddress> Peers, string TcpPorts);
