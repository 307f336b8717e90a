namespace Mnp.Native.Files;

/// <summary>Why <see cref="RegularFile.OpenRead"/> refused a path.</summary>
public enum RegularFileProblem
{
    /// <summary>Nothing there (or a symbolic link to nothing).</summary>
    Missing,

    /// <summary>A FIFO, device, socket or directory: reading it could block forever or never end.</summary>
    NotRegular,

    /// <summary>Larger than the caller's bound.</summary>
    TooLarge,

    /// <summary>Any other failure to open (permissions, I/O).</summary>
    Unreadable,
}
