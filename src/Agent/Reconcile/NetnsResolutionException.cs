using Mnp.Native;

namespace Mnp.Agent.Reconcile;

/// <summary>A pod's network namespace could not be found (the message names the pod and why).</summary>
public sealed class NetnsResolutionException : MnpException
{
    public NetnsResolutionException(string message)
        : base(message)
    {
    }

    public NetnsResolutionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
