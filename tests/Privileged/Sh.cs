using CliWrap;
using CliWrap.Buffered;

namespace Mnp.Tests.Privileged;

/// <summary>Runs the iproute2 and iptables tools the tests use as fixtures and oracles (always from the host namespace).</summary>
internal static class Sh
{
    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") + ":/usr/sbin:/sbin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    public static async Task<string> RunAsync(string exe, IEnumerable<string> args, string? stdin = null)
    {
        var command = Cli.Wrap(Find(exe) ?? exe).WithArguments(args).WithValidation(CommandResultValidation.None);
        if (stdin is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(stdin));
        }

        var result = await command.ExecuteBufferedAsync();
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"{exe} {string.Join(' ', args)}: exit {result.ExitCode}: {result.StandardError.Trim()}");
    }

    public static Task<string> InNetnsAsync(string netns, string exe, params string[] args) =>
        RunAsync("ip", ["netns", "exec", netns, exe, .. args]);

    /// <summary>iptables-legacy-save (or ip6tables-) of the filter table, without the timestamp comment lines.</summary>
    public static async Task<string> SaveAsync(string netns, IpFamily family)
    {
        var text = await InNetnsAsync(netns, family == IpFamily.V4 ? "iptables-legacy-save" : "ip6tables-legacy-save", "-t", "filter");
        return string.Join('\n', text.Split('\n').Where(l => !l.StartsWith('#') && l.Length > 0));
    }

    public static Task<string> RestoreAsync(string netns, IpFamily family, string text, bool noflush = false) =>
        RunAsync("ip", ["netns", "exec", netns, family == IpFamily.V4 ? "iptables-legacy-restore" : "ip6tables-legacy-restore", .. noflush ? new[] { "--noflush" } : []], text);

    public static Task<string> IptablesAsync(string netns, IpFamily family, params string[] args) =>
        InNetnsAsync(netns, family == IpFamily.V4 ? "iptables-legacy" : "ip6tables-legacy", args);
}
