namespace Mnp.Tests.Unit.Support;

/// <summary>What one <c>mnp</c> run returned.</summary>
public sealed record MnpCliResult(int ExitCode, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
