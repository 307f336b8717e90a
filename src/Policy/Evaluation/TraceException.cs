namespace Mnp.Policy.Evaluation;

/// <summary>A query the evaluator cannot answer (unknown pod, no or ambiguous network, missing address); one-line message.</summary>
public sealed class TraceException : Exception
{
    public TraceException()
    {
    }

    public TraceException(string message)
        : base(message)
    {
    }

    public TraceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
