using CliWrap;
using CliWrap.Buffered;

namespace Mnp.Tests.Privileged.Lab.Verbs;

/// <summary>
/// Native failures reach the operator of every lab verb as one line and a non-zero exit, never a stack trace:
/// a missing library (libip4tc hidden by a bind mount in a mount namespace of the one <c>mnp</c> run) and a
/// missing network namespace (a pod's namespace removed behind the lab's back).
/// </summary>
public sealed class NativeFailureTests
{
    private const string Library = "/usr/lib/x86_64-linux-gnu/libip4tc.so.2";
    private static readonly string Cluster = MnpProcess.Repository("examples", "lab", "00-cluster.yaml");
    private static readonly string Policies = MnpProcess.Repository("examples", "lab", "10-policies.yaml");

    [LabTheory]
    [InlineData("apply")]
    [InlineData("delete")]
    public async Task A_missing_libiptc_is_one_line_naming_the_library(string verb)
    {
        var lab = LabModel.UniqueLabName();
        try
        {
            var up = await MnpProcess.RunAsync("lab", "up", "--lab", lab, "-f", Cluster, "-f", Policies);
            Assert.True(up.ExitCode == 0, up.ToString());

            var run = await RunWithoutLibraryAsync("lab", verb, "--lab", lab, "-f", Policies);

            Assert.True(run.ExitCode != 0, run.ToString());
            var line = Assert.Single(run.ErrorLines);
            Assert.StartsWith("mnp: ", line, StringComparison.Ordinal);
            Assert.Contains("libip4tc.so.2: cannot be loaded", line, StringComparison.Ordinal);
        }
        finally
        {
            await MnpProcess.RunAsync("lab", "down", "--lab", lab);
        }
    }

    [LabTheory]
    [InlineData("probe")]
    [InlineData("apply")]
    [InlineData("delete")]
    public async Task A_pod_namespace_removed_behind_the_labs_back_is_never_a_stack_trace(string verb)
    {
        var lab = LabModel.UniqueLabName();
        try
        {
            var up = await MnpProcess.RunAsync("lab", "up", "--lab", lab, "-f", Cluster);
            Assert.True(up.ExitCode == 0, up.ToString());
            await HostTools.IpAsync("netns", "del", $"mnplab-{lab}-db-postgres");

            var run = verb == "probe"
                ? await MnpProcess.RunAsync("lab", "probe", "--lab", lab, "--timeout", "500")
                : await MnpProcess.RunAsync("lab", verb, "--lab", lab, "-f", Policies);

            // Repairing is allowed (exit 0); failing is one line. Never a trace, never "internal error".
            Assert.True(run.ExitCode == 0 || run.ErrorLines.Length == 1, run.ToString());
            Assert.DoesNotContain(run.ErrorLines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("internal error", StringComparison.Ordinal));
        }
        finally
        {
            await MnpProcess.RunAsync("lab", "down", "--lab", lab);
        }
    }

    /// <summary>
    /// Runs mnp in a mount namespace of its own (slave: the host's mounts still show, ours never leak out)
    /// where libip4tc is an empty file, so loading it fails as on a host without the library.
    /// </summary>
    private static async Task<MnpRun> RunWithoutLibraryAsync(params string[] args)
    {
        var result = await CliWrap.Cli.Wrap("unshare")
            .WithArguments([
                "--mount", "--propagation", "slave", "--", "sh", "-c", $"mount --bind /dev/null {Library} && exec dotnet \"$0\" \"$@\"",
                Path.Combine(AppContext.BaseDirectory, "mnp.dll"), .. args])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return new MnpRun(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
