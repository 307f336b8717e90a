namespace Mnp.Native.Files;

/// <summary>A path <see cref="RegularFile.OpenRead"/> will not read; the message is one line naming the path.</summary>
public sealed class RegularFileException : IOException
{
    public RegularFileException()
    {
    }

    public RegularFileException(string message)
        : base(message)
    {
    }

    public RegularFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RegularFileException(RegularFileProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    public RegularFileProblem Problem { get; }
}
