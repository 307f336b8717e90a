using System.Text.RegularExpressions;

namespace Mnp.Tests.Unit.Architecture;

/// <summary>
/// The direction of src/Agent's folders: Cli -> (Lab, Reconcile, Manifests) -> Policy/Native. Lab may use
/// Reconcile and Manifests; Reconcile and Manifests use neither each other, nor Lab, nor Cli; nothing below
/// Cli names it. The agent's own: Host -> Sync -> Observability -> Sources -> Manifests, Cri -> Reconcile; none
/// names Host (no cycle between the host and its loops). Read from the sources (a namespace in a using, a qualified name, or the short form that
/// resolves through the parent namespace), so a throw or a local variable counts as much as a signature.
/// </summary>
public sealed partial class AgentLayeringTests
{
    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Lab", ["Lab", "Reconcile", "Manifests"] },
        { "Reconcile", ["Reconcile"] },
        { "Manifests", ["Manifests"] },

        // The agent: Host -> Sync -> Observability -> Sources (each one way; issue 8 item 4).
        { "Host", ["Host", "Sync", "Sources", "Observability", "Cri", "Lab", "Reconcile", "Manifests"] },
        { "Sync", ["Sync", "Observability", "Reconcile", "Sources"] },
        { "Observability", ["Observability", "Reconcile", "Sources"] },
        { "Sources", ["Sources", "Manifests"] },
        { "Cri", ["Cri", "Reconcile"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void A_folder_names_only_the_agent_folders_below_it(string folder, string[] allowed)
    {
        var root = Path.Combine(RepositoryRoot(), "src", "Agent", folder);
        var violations = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadAllLines(file).Select((line, index) => (file, line, index)))
            .SelectMany(l => AgentReference().Matches(l.line).Select(m => (l.file, l.index, Folder: m.Groups["folder"].Value)))
            .Where(r => !allowed.Contains(r.Folder, StringComparer.Ordinal) && AgentFolders.Contains(r.Folder, StringComparer.Ordinal))
            .Select(r => $"{Path.GetRelativePath(RepositoryRoot(), r.file)}:{r.index + 1}: names Mnp.Agent.{r.Folder}")
            .ToList();

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void The_scan_sees_each_form_of_reference()
    {
        Assert.Equal(
            ["Cli", "Cli", "Lab"],
            new[] { "using Mnp.Agent.Cli;", "throw new Cli.CliException(\"x\");", "Mnp.Agent.Lab.LabState s;", "var cli = x.Cli;" }
                .SelectMany(l => AgentReference().Matches(l).Select(m => m.Groups["folder"].Value)));
    }

    private static readonly string[] AgentFolders = ["Cli", "Lab", "Reconcile", "Manifests", "Host", "Sync", "Sources", "Cri", "Observability"];

    [GeneratedRegex(@"(?:\bMnp\.Agent\.|(?<![\w.])(?=(?:Cli|Lab|Reconcile|Manifests|Host|Sync|Sources|Cri|Observability)\.[A-Z]))(?<folder>[A-Z][A-Za-z]*)")]
    private static partial Regex AgentReference();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Mnp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"no Mnp.sln above {AppContext.BaseDirectory}");
    }
}
