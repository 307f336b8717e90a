using System.CommandLine;
using Mnp.Agent.Lab;
using Mnp.Agent.Manifests;
using Mnp.Native.Netns;
using Mnp.Policy.Input;
using Mnp.Policy.Rules;

namespace Mnp.Agent.Cli.Lab;

/// <summary>What the lab verbs share: <c>--lab NAME</c>, the root check, the executor and controller, manifest input and the summary.</summary>
internal static class LabOptions
{
    public const string DefaultLab = "default";

    public static Option<string> Lab() => new("--lab") { Description = "The lab's name", DefaultValueFactory = _ => DefaultLab };

    /// <summary>
    /// Runs a verb: <paramref name="read"/> checks the arguments and reads the input first (bad input is reported the
    /// same with or without root), then <paramref name="body"/> gets a controller, as root, with lab errors as one line.
    /// </summary>
    /// <remarks>
    /// The lab name is checked before any path is made of it (the lock file). The token is System.CommandLine's
    /// (cancelled on the first SIGINT or SIGTERM): the verb stops at its next step and cleans up, see <see cref="CliRunner"/>.
    /// </remarks>
    public static Task<int> RunAsync<TInput>(
        ParseResult result, PolicyOptions? options, Func<TInput> read, Func<LabController, TInput, CancellationToken, Task<int>> body, CancellationToken cancellationToken) =>
        CliRunner.RunAsync(result.GetValue(GlobalOptions.Verbose), cancellationToken, CliRunner.OnSignal.WaitForCleanUp, async token =>
        {
            var input = read();
            var lab = result.GetValue<string>("--lab") ?? DefaultLab;
            LabPlanner.ValidateLabName(lab);
            if (!Environment.IsPrivilegedProcess)
            {
                throw new CliException("lab: needs root (creates network namespaces, links and iptables rules)");
            }

            // One command at a time per lab, across processes.
            using var labLock = LabLock.Acquire(new LabStore(), lab);

            // One executor per process, made before any namespace work.
            using var executor = new NetnsExecutor();
            return await body(new LabController(executor, options), input, token).ConfigureAwait(false);
        });

    /// <summary>The objects of the <c>-f</c> paths; skipped kinds are warnings on stderr.</summary>
    public static IReadOnlyList<ManifestObject> Load(IEnumerable<string> paths)
    {
        var loaded = ManifestLoader.Load(paths);
        foreach (var warning in loaded.Warnings)
        {
            Console.Error.WriteLine($"mnp: warning: {warning}");
        }

        return loaded.Objects;
    }

    public static int Report(LabSummary summary)
    {
        foreach (var warning in summary.Warnings)
        {
            Console.Error.WriteLine($"mnp: warning: {warning}");
        }

        Console.Out.WriteLine(summary.ToString());
        return 0;
    }
}
