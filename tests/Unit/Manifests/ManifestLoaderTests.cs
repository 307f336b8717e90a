using Mnp.Agent.Manifests;

namespace Mnp.Tests.Unit.Manifests;

public sealed class ManifestLoaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mnp-loader-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Namespace(string name) => $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}}}\n";

    [Fact]
    public void Folders_are_read_recursively_in_path_order_with_only_manifest_extensions()
    {
        Write("b/ns.yml", Namespace("from-b-yml"));
        Write("a.yaml", Namespace("from-a-yaml"));
        Write("c/d/e.json", """{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "from-json"}}""");
        Write("notes.txt", Namespace("ignored"));

        var result = ManifestLoader.Load([_root]);

        Assert.Equal(["from-a-yaml", "from-b-yml", "from-json"], result.Objects.Select(o => o.Name));
        Assert.EndsWith("a.yaml", result.Objects[0].Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_keep_the_order_given_and_warnings_are_collected()
    {
        var second = Write("2.yaml", Namespace("second") + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n");
        var first = Write("1.yaml", Namespace("first"));

        var result = ManifestLoader.Load([second, first]);

        Assert.Equal(["second", "first"], result.Objects.Select(o => o.Name));
        Assert.Equal([$"{second}:5: skipped Deployment d (apps/v1): not a kind mnp reads"], result.Warnings.AsEnumerable());
    }

    [Fact]
    public void A_missing_path_is_a_one_line_error()
    {
        var missing = Path.Combine(_root, "nope.yaml");

        var error = Assert.Throws<ManifestLoadException>(() => ManifestLoader.Load([missing]));

        Assert.Equal($"{missing}: no such file or directory", error.Message);
    }

    [Fact]
    public void A_syntax_error_names_the_file_and_line()
    {
        var bad = Write("bad.yaml", "apiVersion: v1\nkind: [Pod\n");

        var error = Assert.Throws<ManifestLoadException>(() => ManifestLoader.Load([bad]));

        Assert.StartsWith($"{bad}:3: ", error.Message, StringComparison.Ordinal);
    }
}
