namespace Mnp.Native;

/// <summary>A native library (or one of its entry points) the operation needs could not be loaded.</summary>
public sealed class NativeLibraryException : MnpException
{
    public NativeLibraryException(string library, string purpose, Exception innerException)
        : base($"{library}: cannot be loaded ({purpose}): {Reason(innerException)}", innerException)
    {
        Library = library;
    }

    /// <summary>The library's file name (a SONAME such as <c>libip4tc.so.2</c>).</summary>
    public string Library { get; }

    /// <inheritdoc/>
    public override string Subject => Library;

    /// <summary>
    /// The runtime's message lists every path it tried, one per line: keep the one line that says why a file
    /// that exists was refused (<c>file too short</c>, a wrong architecture), else say that none exists.
    /// </summary>
    private static string Reason(Exception? inner)
    {
        if (inner is EntryPointNotFoundException)
        {
            return inner.Message.ReplaceLineEndings(" ");
        }

        var refused = (inner?.Message ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(l => l.StartsWith('/') && !l.EndsWith("No such file or directory", StringComparison.Ordinal));
        return refused ?? "not installed (no such file on the library path)";
    }
}
