using Mnp.Native.Netns;

namespace Mnp.Agent.Operations;

/// <summary>A local pod (<c>NS/NAME</c>) and its network namespace, as the lab or CRI found it.</summary>
public sealed record InspectTarget(string Pod, NetnsRef Netns);
