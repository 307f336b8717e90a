namespace Mnp.Tests.Unit.Delivery;

/// <summary>Files of the repository itself (deploy/, examples/, must-gather/), found upward from the test binaries.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mnp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Mnp.sln above {AppContext.BaseDirectory}");
    }
}
