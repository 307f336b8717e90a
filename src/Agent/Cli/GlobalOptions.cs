using System.CommandLine;

namespace Mnp.Agent.Cli;

/// <summary>Options every verb accepts.</summary>
internal static class GlobalOptions
{
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Print stack traces with errors",
        Recursive = true,
    };
}
