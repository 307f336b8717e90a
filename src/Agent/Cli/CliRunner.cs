namespace Mnp.Agent.Cli;

/// <summary>Runs a verb's body: expected failures become one line on stderr and a non-zero exit; stack traces only with --verbose.</summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(bool verbose, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"mnp: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException or ArgumentException)
        {
            await Console.Error.WriteLineAsync(verbose ? $"mnp: {e}" : $"mnp: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
