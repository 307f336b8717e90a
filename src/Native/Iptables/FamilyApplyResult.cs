using Mnp.Native.Backends;

namespace Mnp.Native.Iptables;

/// <summary>What one family's transaction did: outcome, attempts (more than 1 after EAGAIN retries) and time spent.</summary>
public sealed record FamilyApplyResult(IpFamily Family, string Table, ApplyOutcome Outcome, int Attempts, TimeSpan Elapsed, TimeSpan CommitTime);
