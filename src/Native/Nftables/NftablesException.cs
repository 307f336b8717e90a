namespace Mnp.Native.Nftables;

/// <summary>
/// The kernel refused an nf_tables request: names the operation, the object the failing message described (from
/// the sequence-number map), the namespace and the errno. Nothing of the batch was applied.
/// </summary>
public sealed class NftablesException : MnpException
{
    public NftablesException(string operation, string objectName, string netns, int errno, string? detail = null)
        : base($"nftables {operation} in {netns}: {objectName}: {(errno == 0 ? detail : LinuxErrors.Describe((LinuxError)errno))}{(errno != 0 && detail is not null ? $" ({detail})" : "")}")
    {
        Operation = operation;
        ObjectName = objectName;
        Netns = netns;
        Errno = (LinuxError)errno;
    }

    public string Operation { get; }

    /// <summary>What the refused message described, e.g. <c>set ingress-net1-0-v4</c> or <c>chain input rule 1</c>.</summary>
    public string ObjectName { get; }

    public string Netns { get; }

    /// <summary>The errno, or <see cref="LinuxError.None"/> when the failure was not a kernel error (a refused foreign table, a bad reply).</summary>
    public override LinuxError Errno { get; }

    /// <inheritdoc/>
    public override string Subject => ObjectName;

    /// <inheritdoc/>
    /// <remarks>Every request of ours concerns our one inet table.</remarks>
    public override string TransactionScope => NftablesBackend.Scope;

    /// <summary>ERESTART on the batch: another writer changed the namespace's nf_tables since our read.</summary>
    public bool IsGenerationConflict => Errno == LinuxError.ERESTART && ObjectName == "batch";
}
