using System.Text.RegularExpressions;
using Mnp.Agent.Lab;
using Mnp.Tests.Unit.Delivery;

namespace Mnp.Tests.Unit.Architecture;

/// <summary>
/// The direction of src/Agent's folders: Cli -> (Lab, Reconcile, Manifests) -> Policy/Native. Lab may use
/// Reconcile and Manifests; Reconcile and Manifests use neither each other, nor Lab, nor Cli; nothing below
/// Cli names it. The agent's own: Host -> Sync -> Observability -> Sources -> Manifests, Cri -> Reconcile; none
/// names Host (no cycle between the host and its loops). Read from the sources (a namespace in a using, a qualified
/// name, or the short form that resolves through the parent namespace), so a throw or a local variable counts as much
/// as a signature; and from the compiled agent (<see cref="TypeReferences"/>), which no <c>global using</c> or alias
/// can hide from. Each check is shown to fail on a planted reverse dependency.
/// </summary>
public sealed partial class AgentLayeringTests
{
    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Lab", ["Lab", "Reconcile", "Manifests"] },
        { "Reconcile", ["Reconcile"] },
        { "Manifests", ["Manifests"] },

        // The agent: Host -> Sync -> Observability -> Sources (each one way; issue 8 item 4).
        { "Host", ["Host", "Sync", "Sources", "Observability", "Cri", "Lab", "Reconcile", "Manifests", "Coexistence", "Operations"] },
        { "Coexistence", ["Coexistence", "Observability", "Sources"] },

        // inspect and cleanup: below Cli, beside the agent (they read what it wrote, never run it).
        { "Operations", ["Operations", "Cri", "Lab", "Manifests", "Reconcile", "Sources"] },
        { "Sync", ["Sync", "Observability", "Reconcile", "Sources"] },
        { "Observability", ["Observability", "Reconcile", "Sources"] },
        { "Sources", ["Sources", "Manifests"] },
        { "Cri", ["Cri", "Reconcile"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void A_folder_names_only_the_agent_folders_below_it(string folder, string[] allowed)
    {
        var violations = SourceViolations(Path.Combine(RepositoryPaths.Root, "src", "Agent", folder), allowed);

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void A_folder_uses_only_the_agent_folders_below_it_once_compiled(string folder, string[] allowed)
    {
        var violations = CompiledViolations(typeof(LabController).Assembly, "Mnp.Agent", folder, allowed);

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void A_planted_reverse_dependency_in_the_sources_fails(string folder, string[] allowed)
    {
        var copy = Directory.CreateTempSubdirectory("mnp-layering-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src", "Agent", folder), "*.cs", SearchOption.AllDirectories))
            {
                File.Copy(file, Path.Combine(copy.FullName, Path.GetFileName(file)), overwrite: true);
            }

            Assert.Empty(SourceViolations(copy.FullName, allowed));
            File.WriteAllText(Path.Combine(copy.FullName, "Planted.cs"), "namespace Mnp.Agent.X;\n\ninternal static class Planted\n{\n    public static int Code => Cli.CliRunner.Failure;\n}\n");

            Assert.Equal(["Planted.cs:5: names Mnp.Agent.Cli"], SourceViolations(copy.FullName, allowed).Select(Path.GetFileName));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_planted_reverse_dependency_in_a_method_body_fails_once_compiled()
    {
        var assembly = typeof(AgentLayeringTests).Assembly;
        const string root = "Mnp.Tests.Unit.Architecture.Planted";

        Assert.Equal(
            [$"{root}.Lab.PlantedLabType uses {root}.Cli.PlantedCliType"],
            CompiledViolations(assembly, root, "Lab", ["Lab"]));
        Assert.Empty(CompiledViolations(assembly, root, "Lab", ["Lab", "Cli"]));
    }

    [Fact]
    public void The_scan_sees_each_form_of_reference()
    {
        Assert.Equal(
            ["Cli", "Cli", "Lab"],
            new[] { "using Mnp.Agent.Cli;", "throw new Cli.CliException(\"x\");", "Mnp.Agent.Lab.LabState s;", "var cli = x.Cli;" }
                .SelectMany(l => AgentReference().Matches(l).Select(m => m.Groups["folder"].Value)));
    }

    private static readonly string[] AgentFolders = ["Cli", "Lab", "Reconcile", "Manifests", "Host", "Sync", "Sources", "Cri", "Observability", "Coexistence", "Operations"];

    [GeneratedRegex(@"(?:\bMnp\.Agent\.|(?<![\w.])(?=(?:Cli|Lab|Reconcile|Manifests|Host|Sync|Sources|Cri|Observability|Coexistence|Operations)\.[A-Z]))(?<folder>[A-Z][A-Za-z]*)")]
    private static partial Regex AgentReference();

    private static List<string> SourceViolations(string root, string[] allowed) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadAllLines(file).Select((line, index) => (file, line, index)))
            .SelectMany(l => AgentReference().Matches(l.line).Select(m => (l.file, l.index, Folder: m.Groups["folder"].Value)))
            .Where(r => !allowed.Contains(r.Folder, StringComparer.Ordinal) && AgentFolders.Contains(r.Folder, StringComparer.Ordinal))
            .Select(r => $"{Path.GetRelativePath(RepositoryPaths.Root, r.file)}:{r.index + 1}: names Mnp.Agent.{r.Folder}")
            .ToList();

    /// <summary>Every type of <paramref name="root"/>.<paramref name="folder"/> (nested namespaces included) that uses a type of another folder of <paramref name="root"/> not in <paramref name="allowed"/> (of the agent, the folders the table ranks, as the source scan).</summary>
    private static List<string> CompiledViolations(System.Reflection.Assembly assembly, string root, string folder, string[] allowed) =>
        assembly.GetTypes()
            .Where(t => FolderOf(t, root) == folder)
            .SelectMany(t => TypeReferences.Of(t).Select(used => (From: t, Used: used, Folder: FolderOf(used, root))))
            .Where(r => r.Folder is not null && !allowed.Contains(r.Folder, StringComparer.Ordinal) && (root != "Mnp.Agent" || AgentFolders.Contains(r.Folder, StringComparer.Ordinal)))
            .Select(r => $"{Outermost(r.From).FullName} uses {Outermost(r.Used).FullName}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string? FolderOf(Type type, string root) =>
        type.Namespace is { } ns && ns.StartsWith(root + ".", StringComparison.Ordinal) ? ns[(root.Length + 1)..].Split('.')[0] : null;

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;
}
