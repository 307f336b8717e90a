using System.CommandLine;

namespace Mnp.Agent.Cli.Lab;

/// <summary><c>mnp lab</c>: a cluster of network namespaces on this machine (root), see docs/cli.md §5.</summary>
internal sealed class LabCommand : Command
{
    public LabCommand()
        : base("lab", "A cluster of network namespaces on this machine, with the agent's rules (root)")
    {
        Subcommands.Add(LabChangeCommand.Up());
        Subcommands.Add(LabChangeCommand.Apply());
        Subcommands.Add(LabChangeCommand.Delete());
        Subcommands.Add(new LabProbeCommand());
        Subcommands.Add(new LabDownCommand());
    }
}
