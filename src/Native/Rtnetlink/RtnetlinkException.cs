namespace Mnp.Native.Rtnetlink;

/// <summary>The kernel refused an rtnetlink request; names the operation, the link and the namespace.</summary>
public sealed class RtnetlinkException : MnpException
{
    public RtnetlinkException(string operation, string link, string netns, LinuxError errno)
        : base($"rtnetlink {operation} {link} in netns {netns}: {LinuxErrors.Describe(errno)}")
    {
        Operation = operation;
        Link = link;
        Netns = netns;
        Errno = errno;
    }

    public RtnetlinkException(string operation, string link, string netns, string message)
        : base($"rtnetlink {operation} {link} in netns {netns}: {message}")
    {
        Operation = operation;
        Link = link;
        Netns = netns;
    }

    public string Operation { get; }

    public string Link { get; }

    public string Netns { get; }

    /// <summary>The errno from <c>NLMSG_ERROR</c>, <see cref="LinuxError.None"/> when the failure was not an errno (malformed reply, timeout).</summary>
    public override LinuxError Errno { get; }

    /// <inheritdoc/>
    public override string Subject => Link;
}
