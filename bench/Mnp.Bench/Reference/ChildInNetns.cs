using System.Diagnostics;

namespace Mnp.Bench.Reference;

/// <summary>
/// Runs a tool (<c>nft</c>) as a child of the calling thread, so the child is born in that thread's network namespace, as the
/// reference's <c>exec.Command</c> inside <c>netns.Do</c> is. Called on the netns executor's thread; synchronous
/// <see cref="Process"/> on purpose: CliWrap's pipeline queues thread-pool work, and a pool thread created from a
/// thread inside the pod's namespace would be born there. A wrapper (<c>ip netns exec</c>, <c>nsenter</c>) would
/// avoid that but adds an exec of its own, about 3 ms per process here, which would flatter us.
/// </summary>
internal static class ChildInNetns
{
    /// <summary>Runs <paramref name="program"/> to completion; non-zero exits are returned, not thrown (a listing of a missing chain is "not found").</summary>
    public static (int ExitCode, string Output, string Error) Run(string program, IReadOnlyList<string> arguments, string? stdin = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        // Our inputs make nft print little on stderr, so reading stdout to its end first cannot block on a full stderr pipe.
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error);
    }

    /// <summary>Runs <paramref name="program"/> and throws with its message when it fails.</summary>
    public static string Check(string program, IReadOnlyList<string> arguments, string? stdin = null)
    {
        var (exitCode, output, error) = Run(program, arguments, stdin);
        return exitCode == 0 ? output : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {exitCode}: {error.Trim()}");
    }
}
