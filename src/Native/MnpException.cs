namespace Mnp.Native;

/// <summary>
/// The base of the project's own failures: an operation that failed for a reason an operator can act on
/// (bad input, a missing namespace or library, a refusal by the kernel). The message is one line naming the
/// object; <see cref="Subject"/> names that object for callers that report it (events, metrics). The command
/// line prints these as one line and a non-zero exit; anything else is an internal error.
/// It lives in Native because every failing layer above the pure engine (Native and the Agent) can see it;
/// the engine's parse errors keep their own types.
/// </summary>
public abstract class MnpException : Exception
{
    protected MnpException(string message)
        : base(message)
    {
    }

    protected MnpException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The object the failure concerns (a namespace path, a chain, a link, a file), as the message names it.</summary>
    public virtual string Subject => "";

    /// <summary>
    /// The backend transaction the failure happened in, named as <see cref="Backends.BackendTransaction.Scope"/> names it
    /// (<c>IPv6 filter</c>, <c>inet mnp</c>); null when it concerns no single transaction (a namespace, a library, a lock).
    /// </summary>
    public virtual string? TransactionScope => null;

    /// <summary>The errno behind the failure, when it came from the kernel or the C library.</summary>
    public virtual LinuxError Errno => LinuxError.None;
}
