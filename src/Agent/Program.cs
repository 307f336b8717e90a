using System.CommandLine;
using Mnp.Agent.Cli;

namespace Mnp.Agent;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var result = BuildRoot().Parse(args);
        if (result.Errors.Count > 0)
        {
            // One line, not the usage screen: scripts and operators read stderr.
            // System.CommandLine lists allowed values on lines of their own ("Must be one of:\n\t'text'..."): one line.
            var message = string.Join(' ', result.Errors[0].Message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
            Console.Error.WriteLine($"mnp: {message} (see 'mnp {string.Join(' ', CommandPath(result))} --help')");
            return 2;
        }

        // Signals cancel the verb's token (see TerminationSignals); System.CommandLine's own handler is off.
        using var signals = new TerminationSignals();
        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token).ConfigureAwait(false);
    }

    private static IEnumerable<string> CommandPath(ParseResult result)
    {
        var names = new Stack<string>();
        for (var symbol = result.CommandResult; symbol is not null && symbol.Command is not RootCommand; symbol = symbol.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(symbol.Command.Name);
        }

        return names;
    }

    /// <summary>The command tree; each verb lives in its own <c>Cli/*Command.cs</c> and is added here.</summary>
    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand("mnp: MultiNetworkPolicy for Multus secondary interfaces");
        root.Options.Add(GlobalOptions.Verbose);
        root.Subcommands.Add(new RenderCommand());
        root.Subcommands.Add(new TraceCommand());
        root.Subcommands.Add(new MatrixCommand());
        root.Subcommands.Add(new Cli.Lab.LabCommand());
        root.Subcommands.Add(new AgentCommand());
        root.Subcommands.Add(new VersionCommand());
        root.Subcommands.Add(new InspectCommand());
        root.Subcommands.Add(new CleanupCommand());
        return root;
    }
}
