using Mnp.Native;

namespace Mnp.Agent.Manifests;

/// <summary>A <c>-f</c> path does not exist, cannot be read, or holds a manifest that does not parse; the message names the file.</summary>
public sealed class ManifestLoadException : MnpException
{
    public ManifestLoadException(string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>The path the failure concerns.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public override string Subject => Path;
}
