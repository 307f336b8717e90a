namespace Mnp.Native.Netns;

/// <summary>Entering (or creating, or removing) a network namespace failed; names the namespace, the operation and the errno.</summary>
public sealed class NetnsException : MnpException
{
    public NetnsException(NetnsRef netns, string operation, LinuxError errno)
        : base($"netns {netns}: {operation} failed: {LinuxErrors.Describe(errno)}")
    {
        ArgumentNullException.ThrowIfNull(netns);
        Netns = netns;
        Errno = errno;
        Error = errno switch
        {
            LinuxError.ENOENT => NetnsError.NotFound,
            LinuxError.EINVAL => NetnsError.NotANamespace,
            LinuxError.EPERM or LinuxError.EACCES => NetnsError.PermissionDenied,
            _ => NetnsError.Other,
        };
    }

    public NetnsRef Netns { get; }

    /// <inheritdoc/>
    public override LinuxError Errno { get; }

    public NetnsError Error { get; }

    /// <inheritdoc/>
    public override string Subject => Netns.Path;
}
