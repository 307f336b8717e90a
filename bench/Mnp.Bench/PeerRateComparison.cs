namespace Mnp.Bench;

/// <summary>One backend's two cases, measured as pairs of back-to-back windows, and each pair's ratio many-peers / few-peers.</summary>
internal sealed class PeerRateComparison(string backend, PeerRateCase few, PeerRateCase many)
{
    public string Backend { get; } = backend;

    public PeerRateCase Few { get; } = few;

    public PeerRateCase Many { get; } = many;

    public List<double> WallRatios { get; } = [];

    public List<double> CpuRatios { get; } = [];

    /// <summary>Per pair: how much more of the client's CPU a connection took with many peers than with few, in µs (the policy's extra cost per new flow).</summary>
    public List<double> ExtraMicroseconds { get; } = [];

    /// <summary>Records the pair just measured: the last window of each case.</summary>
    public void AddPair()
    {
        WallRatios.Add(Many.Windows[^1].WallRate / Few.Windows[^1].WallRate);
        CpuRatios.Add(Many.Windows[^1].CpuRate / Few.Windows[^1].CpuRate);
        ExtraMicroseconds.Add(1e6 * ((1 / Many.Windows[^1].CpuRate) - (1 / Few.Windows[^1].CpuRate)));
    }
}
