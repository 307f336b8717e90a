using Mnp.Native.Backends;

namespace Mnp.Native.Nftables;

/// <summary>What one namespace's nftables sync did: outcome, attempts (more than 1 after a concurrent writer), the batch's size and time spent.</summary>
public sealed record NftApplyResult(ApplyOutcome Outcome, int Attempts, int Rules, int Messages, int BatchBytes, TimeSpan Elapsed, TimeSpan CommitTime, uint Generation)
{
    /// <summary>The commit kept the table and its base chains and replaced only what differed (false: a full replace, or no commit).</summary>
    public bool KeptTable { get; init; }
}
