namespace Mnp.Native.Nftables;

/// <summary>
/// The kernel refused an nf_tables request: names the operation, the object the failing message described (from
/// the sequence-number map), the namespace and the errno. Nothing of the batch was applied.
/// </summary>
public sealed class NftablesException : Exception
{
    public NftablesException(string operation, string objectName, string netns, int errno, string? detail = null)
        : base($"nftables {operation} in {netns}: {objectName}: {(errno == 0 ? detail : LinuxErrors.Describe(errno))}{(errno != 0 && detail is not null ? $" ({detail})" : "")}")
    {
        Operation = operation;
        ObjectName = objectName;
        Netns = netns;
        Errno = errno;
    }

    public string Operation { get; }

    /// <summary>What the refused message described, e.g. <c>set ingress-net1-0-v4</c> or <c>chain input rule 1</c>.</summary>
    public string ObjectName { get; }

    public string Netns { get; }

    /// <summary>The positive errno, or 0 when the failure was not a kernel error (a refused foreign table, a bad reply).</summary>
    public int Errno { get; }

    /// <summary>ERESTART on the batch: another writer changed the namespace's nf_tables since our read.</summary>
    public bool IsGenerationConflict => Errno == NftNetlink.ErrnoRestart && ObjectName == "batch";
}
