namespace Mnp.Native.Backends;

/// <summary>
/// One atomic transaction of an apply: for iptables one per family and table, for nftables one batch.
/// <paramref name="Scope"/> names what it covered (<c>IPv4 filter</c>); <paramref name="Rules"/> is the number
/// of our rules there afterwards; <paramref name="Attempts"/> is more than 1 after retries on a concurrent writer.
/// </summary>
public sealed record BackendTransaction(string Scope, ApplyOutcome Outcome, int Rules, int Attempts, TimeSpan Elapsed, TimeSpan CommitTime);
