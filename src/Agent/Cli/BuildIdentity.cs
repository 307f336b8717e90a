using System.Reflection;
using System.Runtime.InteropServices;

namespace Mnp.Agent.Cli;

/// <summary>Which build this is: the version and the git commit the SDK stamps into the informational version ("1.0.0+COMMIT").</summary>
internal sealed record BuildIdentity(string Version, string Commit, string Runtime, string Platform)
{
    public static BuildIdentity Current { get; } = Read();

    private static BuildIdentity Read()
    {
        var informational = typeof(BuildIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus < 0 ? informational : informational[..plus];
        var commit = plus < 0 ? "unknown" : informational[(plus + 1)..];
        return new BuildIdentity(version, commit, RuntimeInformation.FrameworkDescription, RuntimeInformation.RuntimeIdentifier);
    }
}
