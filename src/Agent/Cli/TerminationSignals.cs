using System.Runtime.InteropServices;

namespace Mnp.Agent.Cli;

/// <summary>
/// SIGINT (Ctrl-C), SIGTERM and SIGHUP for the whole process: the first one cancels <see cref="Token"/> (the one every
/// verb is handed) instead of killing the process, so a lab verb removes what it made before exiting; later ones
/// only say that the clean-up is under way (never an unhandled exception, never a half-cleaned lab).
/// System.CommandLine's own handler is turned off (<c>ProcessTerminationTimeout = null</c>) so this is the only one.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private static int _received;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration[] _registrations;

    public TerminationSignals()
    {
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, Handle))];
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>The shell's convention: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM); 1 if none came.</summary>
    public static int ExitCode => Volatile.Read(ref _received) switch
    {
        0 => 1,
        var signal => 128 + signal,
    };

    public static string ReceivedName => Volatile.Read(ref _received) switch
    {
        2 => "SIGINT",
        15 => "SIGTERM",
        1 => "SIGHUP",
        _ => "a signal",
    };

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        var number = context.Signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            _ => 1,
        };
        if (Interlocked.CompareExchange(ref _received, number, 0) == 0)
        {
            _cancellation.Cancel();
        }
        else
        {
            Console.Error.WriteLine("mnp: already stopping; cleaning up what this command made");
        }
    }
}
