using System.Net;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab.Probe;

/// <summary>One connection attempt: from pod <see cref="From"/> (bound to <see cref="Source"/> when known) to <see cref="Address"/>:<see cref="Port"/> of pod <see cref="To"/> on <see cref="Network"/>.</summary>
public sealed record ProbeRequest(string From, string To, NetworkRef Network, IPAddress Address, IPAddress? Source, int Port, Protocol Protocol);
