namespace Mnp.Native.Netns;

/// <summary>Entering a network namespace failed; names the namespace, the operation and the errno.</summary>
public sealed class NetnsException : Exception
{
    public NetnsException(NetnsRef netns, string operation, int errno)
        : base($"netns {netns}: {operation} failed: {LinuxErrors.Describe(errno)}")
    {
        Netns = netns;
        Errno = errno;
        Error = errno switch
        {
            2 => NetnsError.NotFound,          // ENOENT
            22 => NetnsError.NotANamespace,    // EINVAL
            1 or 13 => NetnsError.PermissionDenied, // EPERM, EACCES
            _ => NetnsError.Other,
        };
    }

    public NetnsRef Netns { get; }

    public int Errno { get; }

    public NetnsError Error { get; }
}
