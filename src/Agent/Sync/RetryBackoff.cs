namespace Mnp.Agent.Sync;

/// <summary>Exponential backoff with jitter: <c>initial × 2^(attempt-1)</c>, capped, then ±20 % so that many failing pods do not retry in step.</summary>
public sealed class RetryBackoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    public static RetryBackoff PodDefault { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    public TimeSpan Initial { get; } = initial;

    public TimeSpan Max { get; } = max;

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1, after <paramref name="attempt"/> failures (1 = first failure).</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var raw = Math.Min(Initial.TotalMilliseconds * Math.Pow(2, exponent), Max.TotalMilliseconds);
        var jitter = 0.8 + (0.4 * _random.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Min(raw * jitter, Max.TotalMilliseconds));
    }
}
