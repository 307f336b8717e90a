namespace Mnp.Policy.Input;

/// <summary>
/// Bounds on what one manifest may cost to read, whoever wrote it: a few hundred bytes of YAML aliases must not
/// expand into gigabytes, and a deeply nested document must not exhaust the stack. Each bound is generous for
/// real Kubernetes objects (a kubectl dump of ten thousand pods fits) and is stated in the error that enforces it.
/// </summary>
public static class ManifestLimits
{
    /// <summary>The largest manifest file read (bytes; characters for text handed to the parser directly).</summary>
    public const int MaxFileBytes = 64 * 1024 * 1024;

    /// <summary>The most bytes read over all the files of one command.</summary>
    public const long MaxTotalBytes = 256L * 1024 * 1024;

    /// <summary>The deepest nesting of lists and mappings (the default of System.Text.Json, which reads the objects after us).</summary>
    public const int MaxDepth = 64;

    /// <summary>The most YAML nodes one file may hold, aliases expanded.</summary>
    public const int MaxNodes = 4_000_000;

    /// <summary>The most nodes aliases (and merge keys) may add in one file: real manifests alias a few small mappings.</summary>
    public const int MaxAliasNodes = 100_000;
}
