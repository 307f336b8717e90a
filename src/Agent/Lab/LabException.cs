namespace Mnp.Agent.Lab;

/// <summary>Bad lab input or a failed lab operation, as one line naming the object and field.
/// Derives from InvalidOperationException so CliRunner prints it as a one-line error.</summary>
public sealed class LabException : InvalidOperationException
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
