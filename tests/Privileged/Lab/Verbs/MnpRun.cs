namespace Mnp.Tests.Privileged.Lab.Verbs;

/// <summary>What one run of the real <c>mnp</c> executable returned.</summary>
public sealed record MnpRun(int ExitCode, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
