using Mnp.Native;

namespace Mnp.Agent.Operations;

/// <summary>The agent's presence lock is held by another agent, or cannot be made (one line naming the file).</summary>
public sealed class AgentPresenceException(string message) : MnpException(message);
