namespace Mnp.Tests.Privileged.Lab.Verbs;

/// <summary>Manifest files for one test, under the temp folder, removed on dispose.</summary>
internal sealed class TempFiles(string prefix) : IDisposable
{
    private readonly List<string> _paths = [];

    public string Write(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mnp-{prefix}-{_paths.Count}.yaml");
        File.WriteAllText(path, text);
        _paths.Add(path);
        return path;
    }

    public void Dispose() => _paths.ForEach(File.Delete);
}
