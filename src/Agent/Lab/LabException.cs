using Mnp.Native;

namespace Mnp.Agent.Lab;

/// <summary>Bad lab input or a failed lab operation, as one line naming the object and field.</summary>
public sealed class LabException : MnpException
{
    public LabException(string message)
        : base(message)
    {
    }

    public LabException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
