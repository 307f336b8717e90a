namespace Mnp.Native;

/// <summary>A native library (or one of its entry points) the operation needs could not be loaded.</summary>
public sealed class NativeLibraryException : MnpException
{
    public NativeLibraryException(string library, string purpose, Exception innerException)
        : base($"{library}: cannot be loaded ({purpose}): {innerException?.Message}", innerException)
    {
        Library = library;
    }

    /// <summary>The library's file name (a SONAME such as <c>libip4tc.so.2</c>).</summary>
    public string Library { get; }

    /// <inheritdoc/>
    public override string Subject => Library;
}
