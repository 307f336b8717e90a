using CliWrap;
using CliWrap.Buffered;

namespace Mnp.Tests.Privileged.Lab.Verbs;

/// <summary>Runs the real <c>mnp</c> executable (built next to the tests) as root would from a shell; finds the repository's examples.</summary>
public static class MnpProcess
{
    public static async Task<MnpRun> RunAsync(params string[] args)
    {
        var result = await CliWrap.Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "mnp.dll"), .. args])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return new MnpRun(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>Runs the executable with soft and hard <c>RLIMIT_NOFILE</c> at <paramref name="openFiles"/> (through util-linux <c>prlimit</c>).</summary>
    public static async Task<MnpRun> RunWithOpenFileLimitAsync(int openFiles, params string[] args)
    {
        var result = await CliWrap.Cli.Wrap("prlimit")
            .WithArguments([$"--nofile={openFiles}:{openFiles}", "dotnet", Path.Combine(AppContext.BaseDirectory, "mnp.dll"), .. args])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return new MnpRun(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>Starts the executable and returns at once: the process id (for signals) and the task of its result.</summary>
    public static (int ProcessId, Task<MnpRun> Result) Start(params string[] args)
    {
        var task = CliWrap.Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "mnp.dll"), .. args])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return (task.ProcessId, Finish(task));

        static async Task<MnpRun> Finish(CommandTask<BufferedCommandResult> task)
        {
            var result = await task;
            return new MnpRun(result.ExitCode, result.StandardOutput, result.StandardError);
        }
    }

    /// <summary>A path under the repository root (the folder holding Mnp.sln above the test binaries).</summary>
    public static string Repository(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Mnp.sln")))
        {
            directory = directory.Parent;
        }

        return directory is null
            ? throw new InvalidOperationException($"no Mnp.sln above {AppContext.BaseDirectory}")
            : Path.Combine([directory.FullName, .. parts]);
    }
}
