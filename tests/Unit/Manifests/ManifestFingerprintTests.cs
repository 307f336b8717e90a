using Mnp.Agent.Sources;

namespace Mnp.Tests.Unit.Manifests;

/// <summary>The agent's poll of a manifests folder walks it as the loader does: links to directories are not followed.</summary>
public sealed class ManifestFingerprintTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mnp-fingerprint-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Three_links_to_the_folder_list_each_file_once()
    {
        File.WriteAllText(Path.Join(_root, "a.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
        Directory.CreateDirectory(Path.Join(_root, "sub"));
        File.WriteAllText(Path.Join(_root, "sub", "b.yml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n");
        FileKinds.Link(Path.Join(_root, "l1"), ".");
        FileKinds.Link(Path.Join(_root, "l2"), ".");
        FileKinds.Link(Path.Join(_root, "sub", "l3"), "..");

        var lines = ManifestDirectorySource.Fingerprint(_root)!.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal([Path.Join(_root, "a.yaml"), Path.Join(_root, "sub", "b.yml")], lines.Select(l => l[..l.IndexOf('|', StringComparison.Ordinal)]));
    }
}
