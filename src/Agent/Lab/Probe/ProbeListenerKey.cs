using System.Net;
using Mnp.Policy.Cluster;

namespace Mnp.Agent.Lab.Probe;

/// <summary>One listener of a probe run: pod, address, port and protocol.</summary>
internal readonly record struct ProbeListenerKey(string Pod, IPAddress Address, int Port, Protocol Protocol);
