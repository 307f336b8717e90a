using System.Net;
using Mnp.Native.Netns;

namespace Mnp.Bench;

/// <summary>The peer-rate lab once it is up: the two pods' namespaces and addresses, and the server's two listening ports.</summary>
/// <param name="Executor">The netns executor; its thread is the client (pinned while a window runs).</param>
/// <param name="Client">The client pod's namespace.</param>
/// <param name="Server">The server pod's namespace, where the policy, conntrack table and listeners are.</param>
/// <param name="ClientAddress">The client's address: the last of the policy's peers.</param>
/// <param name="Allowed">The port the policy allows from its peers.</param>
/// <param name="Other">A port the policy does not allow: unreachable while a policy is in place.</param>
internal sealed record PeerRateLab(NetnsExecutor Executor, NetnsRef Client, NetnsRef Server, IPAddress ClientAddress, IPEndPoint Allowed, IPEndPoint Other);
