using Mnp.Agent.Coexistence;

namespace Mnp.Agent.Host;

public static class AgentOptionsExtensions
{
    /// <summary>The options the coexistence check reads.</summary>
    public static CoexistenceCheck ToCoexistenceCheck(this AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new CoexistenceCheck(options.Source != SourceChoice.Files, options.IgnoreOpenShiftAgent, options.Kubeconfig, options.Master, options.Listen, options.NodeName);
    }
}
