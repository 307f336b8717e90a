namespace Mnp.Native.Iptables;

/// <summary>A libiptc call failed. Names the namespace, family, table, chain, the call, errno and libiptc's own message.</summary>
public sealed class XtablesException : MnpException
{
    public XtablesException(string netns, IpFamily family, string table, string? chain, string operation, LinuxError errno, string libraryMessage)
        : base($"netns {netns}: {(family == IpFamily.V4 ? "IPv4" : "IPv6")} {table}{(chain is null ? "" : "/" + chain)}: {operation} failed: {LinuxErrors.Name(errno)} ({(int)errno}): {libraryMessage}")
    {
        Netns = netns;
        Family = family;
        Table = table;
        Chain = chain;
        Operation = operation;
        Errno = errno;
        LibraryMessage = libraryMessage;
    }

    public string Netns { get; }

    public IpFamily Family { get; }

    public string Table { get; }

    public string? Chain { get; }

    public string Operation { get; }

    /// <inheritdoc/>
    public override LinuxError Errno { get; }

    public string LibraryMessage { get; }

    /// <inheritdoc/>
    public override string TransactionScope => $"{TableDump.FamilyName(Family)} {Table}";

    /// <inheritdoc/>
    public override string Subject => $"{(Family == IpFamily.V4 ? "IPv4" : "IPv6")} {Table}{(Chain is null ? "" : "/" + Chain)}";
}
