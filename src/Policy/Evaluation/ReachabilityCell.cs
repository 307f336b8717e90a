namespace Mnp.Policy.Evaluation;

/// <summary>One cell of a <see cref="ReachabilityTable"/>: from a pod to another pod's address on a network, port and protocol (<c>TCP</c>, <c>UDP</c>, <c>SCTP</c>).</summary>
public sealed record ReachabilityCell(string From, string To, string Network, string Address, int Port, string Protocol, bool Reachable)
{
    /// <summary>A verdict of the evaluator as a cell.</summary>
    public static ReachabilityCell Of(ReachabilityFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return new(flow.From, flow.To, flow.Network.ToString(), flow.Address.ToString(), flow.Port, flow.Protocol.ToString().ToUpperInvariant(), flow.Allowed);
    }
}
