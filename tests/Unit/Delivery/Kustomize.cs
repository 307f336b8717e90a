using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Mnp.Policy.Input;

namespace Mnp.Tests.Unit.Delivery;

/// <summary>Builds a deploy/ folder with the real <c>kubectl kustomize</c> and returns its objects.</summary>
internal static class Kustomize
{
    public static async Task<IReadOnlyList<JsonObject>> BuildAsync(string folder)
    {
        var path = RepositoryPaths.Combine("deploy", folder);
        BufferedCommandResult result;
        try
        {
            result = await CliWrap.Cli.Wrap("kubectl").WithArguments(["kustomize", path])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is not on PATH (scripts/install-prereqs.sh installs it)", e);
        }

        Assert.True(result.ExitCode == 0, $"kubectl kustomize {path} failed: {result.StandardError}");
        return ParseObjects(result.StandardOutput);
    }

    public static IReadOnlyList<JsonObject> ParseObjects(string yaml) =>
        [.. YamlToJson.ReadDocuments(yaml).Select(d => d.Root).OfType<JsonObject>()];

    public static string Kind(JsonObject obj) => (string)obj["kind"]!;

    public static string Name(JsonObject obj) => (string)obj["metadata"]!["name"]!;

    public static JsonObject Single(IEnumerable<JsonObject> objects, string kind) => Assert.Single(objects, o => Kind(o) == kind);
}
