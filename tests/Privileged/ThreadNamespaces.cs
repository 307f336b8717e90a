namespace Mnp.Tests.Privileged;

/// <summary>Which network namespace each thread of this process is in (the nsfs link text, e.g. <c>net:[4026531840]</c>).</summary>
internal static class ThreadNamespaces
{
    public static string Of(string nsPath) => new FileInfo(nsPath).LinkTarget ?? throw new IOException($"{nsPath} is not a link");

    public static string Current() => Of("/proc/thread-self/ns/net");

    /// <summary>Every thread (task) of the process with its namespace; threads that exit meanwhile are skipped.</summary>
    public static Dictionary<string, string> All()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                result[$"{Path.GetFileName(task)} ({name})"] = Of(Path.Combine(task, "ns/net"));
            }
            catch (IOException)
            {
                // the thread exited between listing and reading
            }
        }

        return result;
    }
}
