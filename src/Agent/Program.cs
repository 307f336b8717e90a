using System.CommandLine;
using Mnp.Agent.Cli;

namespace Mnp.Agent;

internal static class Program
{
    private static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    /// <summary>The command tree; each verb lives in its own <c>Cli/*Command.cs</c> and is added here.</summary>
    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand("mnp: MultiNetworkPolicy for Multus secondary interfaces");
        root.Options.Add(GlobalOptions.Verbose);
        return root;
    }
}
