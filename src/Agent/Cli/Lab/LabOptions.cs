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
    public static Task<int> RunAsync<TInput>(ParseResult result, PolicyOptions? options, Func<TInput> read, Func<LabController, TInput, Task<int>> body) =>
        CliRunner.RunAsync(result.GetValue(GlobalOptions.Verbose), async () =>
        {
            var input = read();
            if (!Environment.IsPrivilegedProcess)
            {
                throw new CliException("lab: needs root (creates network namespaces, links and iptables rules)");
            }

            // One command at a time per lab, across processes.
            using var labLock = LabLock.Acquire(new LabStore(), result.GetValue<string>("--lab") ?? DefaultLab);

            // One executor per process, made before any namespace work.
            using var executor = new NetnsExecutor();
            return await body(new LabController(executor, options), input).ConfigureAwait(false);
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
