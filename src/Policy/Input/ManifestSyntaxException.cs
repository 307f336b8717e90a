namespace Mnp.Policy.Input;

/// <summary>A manifest that cannot be read at all; the message is one line naming the source and line.</summary>
public sealed class ManifestSyntaxException : Exception
{
    public ManifestSyntaxException()
    {
    }

    public ManifestSyntaxException(string message)
        : base(message)
    {
    }

    public ManifestSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ManifestSyntaxException(string source, long line, string message, Exception? innerException = null)
        : base($"{source}:{line}: {message.ReplaceLineEndings(" ")}", innerException)
    {
    }
}
