using Mnp.Native;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Input;

namespace Mnp.Agent.Cli;

/// <summary>
/// Runs a verb's body. The project's own failures (<see cref="MnpException"/>: bad input, a missing namespace
/// or library, a refusal by the kernel), the engine's parse errors and file-system errors become one line on
/// stderr and a non-zero exit. Anything else is a defect: one line saying so and how to see the stack trace
/// (<c>--verbose</c>), which is printed only then. A signal (<see cref="TerminationSignals"/>) cancels the token
/// System.CommandLine hands the verb: a verb that cleans up (<see cref="OnSignal.WaitForCleanUp"/>) stops at its
/// next step, removes what it made and exits 128+signal; a pure verb (<see cref="OnSignal.StopAtOnce"/>) has
/// nothing to clean and exits at once.
/// </summary>
internal static class CliRunner
{
    /// <summary>The exit code of an internal error (EX_SOFTWARE).</summary>
    public const int InternalErrorExitCode = 70;

    public enum OnSignal
    {
        /// <summary>Nothing to undo: return the interrupted exit code as soon as the signal comes.</summary>
        StopAtOnce,

        /// <summary>The body reads the token and cleans up: wait for it, then report the interruption.</summary>
        WaitForCleanUp,
    }

    /// <param name="verbose">Print stack traces (<c>--verbose</c>).</param>
    /// <param name="body">The verb.</param>
    /// <param name="error">Where the one line goes; stderr unless given.</param>
    public static Task<int> RunAsync(bool verbose, Func<Task<int>> body, TextWriter? error = null) =>
        RunAsync(verbose, CancellationToken.None, OnSignal.StopAtOnce, _ => body(), error);

    /// <param name="verbose">Print stack traces (<c>--verbose</c>).</param>
    /// <param name="cancellationToken">System.CommandLine's token: cancelled on the first SIGINT, SIGTERM or SIGHUP.</param>
    /// <param name="onSignal">Whether the verb has something to clean up when the token is cancelled.</param>
    /// <param name="body">The verb.</param>
    /// <param name="error">Where the one line goes; stderr unless given.</param>
    public static async Task<int> RunAsync(
        bool verbose, CancellationToken cancellationToken, OnSignal onSignal, Func<CancellationToken, Task<int>> body, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        error ??= Console.Error;

        // On the thread pool, so that a body that computes without awaiting still lets a signal end the verb.
        var run = Task.Run(() => GuardAsync(verbose, cancellationToken, body, error), CancellationToken.None);
        if (onSignal == OnSignal.StopAtOnce && cancellationToken.CanBeCanceled)
        {
            var signalled = new TaskCompletionSource();
            await using var registration = cancellationToken.Register(() => signalled.TrySetResult()).ConfigureAwait(false);
            if (await Task.WhenAny(run, signalled.Task).ConfigureAwait(false) != run)
            {
                return await InterruptedAsync(error).ConfigureAwait(false);
            }
        }

        return await run.ConfigureAwait(false);
    }

    private static async Task<int> GuardAsync(bool verbose, CancellationToken cancellationToken, Func<CancellationToken, Task<int>> body, TextWriter error)
    {
        try
        {
            var code = await body(cancellationToken).ConfigureAwait(false);
            return cancellationToken.IsCancellationRequested ? await InterruptedAsync(error).ConfigureAwait(false) : code;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled, or a failure the interruption itself caused (a socket closed under a probe): the signal is the news.
            return await InterruptedAsync(error).ConfigureAwait(false);
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

    private static async Task<int> InterruptedAsync(TextWriter error)
    {
        await error.WriteLineAsync($"mnp: interrupted by {TerminationSignals.ReceivedName}; stopped").ConfigureAwait(false);
        return TerminationSignals.ExitCode;
    }

    private static bool IsOperatorError(Exception e) =>
        e is MnpException or ManifestSyntaxException or TraceException or IOException or UnauthorizedAccessException;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
