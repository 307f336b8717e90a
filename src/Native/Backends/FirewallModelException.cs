namespace Mnp.Native.Backends;

/// <summary>
/// A backend refused the model it rendered from the pod's rules, before writing anything (a name it cannot
/// encode, a collision, a limit). Retrying cannot help: the reconciler fails closed on such a pod.
/// </summary>
public abstract class FirewallModelException : MnpException
{
    protected FirewallModelException(string message)
        : base(message)
    {
    }
}
