using CliWrap;
using CliWrap.Buffered;

namespace Mnp.Tests.Unit.Support;

/// <summary>Runs the real <c>mnp</c> executable (copied next to the tests) as a user would, capturing exit code and output.</summary>
public static class MnpCli
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Cli", "Fixtures", name);

    public static async Task<MnpCliResult> RunAsync(params string[] args)
    {
        var result = await CliWrap.Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "mnp.dll"), .. args])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return new MnpCliResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
