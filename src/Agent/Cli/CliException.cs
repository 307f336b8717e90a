using Mnp.Native;

namespace Mnp.Agent.Cli;

/// <summary>Bad command-line input a verb reports as one line on stderr with a non-zero exit.</summary>
public sealed class CliException(string message, int exitCode = 1) : MnpException(message)
{
    public int ExitCode { get; } = exitCode;
}
