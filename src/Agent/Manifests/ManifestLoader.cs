using System.Collections.Immutable;
using Mnp.Policy.Input;

namespace Mnp.Agent.Manifests;

/// <summary>
/// Reads the <c>-f</c> paths of the CLI: files as given, folders recursively (*.yaml, *.yml, *.json,
/// sorted by path so the result never depends on directory order), through <see cref="ManifestParser"/>.
/// </summary>
internal static class ManifestLoader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>All objects of all paths in order, with the warnings about skipped objects.</summary>
    /// <exception cref="ManifestLoadException">A path does not exist, cannot be read, or holds a manifest that does not parse.</exception>
    public static ManifestParseResult Load(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var objects = ImmutableArray.CreateBuilder<ManifestObject>();
        var warnings = ImmutableArray.CreateBuilder<string>();
        foreach (var file in paths.SelectMany(ExpandPath))
        {
            var parsed = ParseFile(file);
            objects.AddRange(parsed.Objects);
            warnings.AddRange(parsed.Warnings);
        }

        return new ManifestParseResult(objects.ToImmutable(), warnings.ToImmutable());
    }

    private static IEnumerable<string> ExpandPath(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        throw new ManifestLoadException(path, $"{path}: no such file or directory");
    }

    private static ManifestParseResult ParseFile(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ManifestLoadException(file, $"{file}: cannot be read: {e.Message}", e);
        }

        try
        {
            return ManifestParser.Parse(text, file);
        }
        catch (ManifestSyntaxException e)
        {
            throw new ManifestLoadException(file, e.Message, e);
        }
    }
}
