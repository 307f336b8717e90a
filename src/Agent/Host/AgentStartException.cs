using Mnp.Native;

namespace Mnp.Agent.Host;

/// <summary>The agent cannot start with the options it was given on this node (one line naming the option and why).</summary>
public sealed class AgentStartException(string message) : MnpException(message);
