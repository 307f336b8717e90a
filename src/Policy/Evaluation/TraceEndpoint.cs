namespace Mnp.Policy.Evaluation;

/// <summary>A resolved end: the pod it stands for (null for a non-pod address) and its address on the network.</summary>
public sealed record TraceEndpoint(string? Pod, IPAddress Address)
{
    public override string ToString() => Pod is null ? Address.ToString() : $"{Pod} ({Address})";
}
