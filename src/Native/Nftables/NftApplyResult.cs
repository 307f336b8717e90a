using Mnp.Native.Backends;

namespace Mnp.Native.Nftables;

/// <summary>What one namespace's nftables sync did: outcome, attempts (more than 1 after a concurrent writer), the batch's size and time spent.</summary>
public sealed record NftApplyResult(ApplyOutcome Outcome, int Attempts, int Rules, int Messages, int BatchBytes, TimeSpan Elapsed, TimeSpan CommitTime, uint Generation);
