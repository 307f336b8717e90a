namespace Mnp.Agent.Cli;

/// <summary>Bad input or a failed operation a verb reports as one line on stderr with a non-zero exit.</summary>
public sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
