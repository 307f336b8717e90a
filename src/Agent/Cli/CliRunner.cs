using Mnp.Native;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Input;

namespace Mnp.Agent.Cli;

/// <summary>
/// Runs a verb's body. The project's own failures (<see cref="MnpException"/>: bad input, a missing namespace
/// or library, a refusal by the kernel), the engine's parse errors and file-system errors become one line on
/// stderr and a non-zero exit. Anything else is a defect: one line saying so and how to see the stack trace
/// (<c>--verbose</c>), which is printed only then.
/// </summary>
internal static class CliRunner
{
    /// <summary>The exit code of an internal error (EX_SOFTWARE).</summary>
    public const int InternalErrorExitCode = 70;

    /// <param name="verbose">Print stack traces (<c>--verbose</c>).</param>
    /// <param name="body">The verb.</param>
    /// <param name="error">Where the one line goes; stderr unless given.</param>
    public static async Task<int> RunAsync(bool verbose, Func<Task<int>> body, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        error ??= Console.Error;
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (IsOperatorError(e))
        {
            await error.WriteLineAsync(verbose && e is not CliException ? $"mnp: {e}" : $"mnp: {OneLine(e.Message)}").ConfigureAwait(false);
            return e is CliException cli ? cli.ExitCode : 1;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await error.WriteLineAsync(verbose
                ? $"mnp: internal error: {e}"
                : $"mnp: internal error: {e.GetType().Name}: {OneLine(e.Message)} (run with --verbose for the stack trace)").ConfigureAwait(false);
            return InternalErrorExitCode;
        }
    }

    private static bool IsOperatorError(Exception e) =>
        e is MnpException or ManifestSyntaxException or TraceException or IOException or UnauthorizedAccessException;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
