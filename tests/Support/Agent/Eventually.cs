namespace Mnp.Tests.Support.Agent;

/// <summary>Waits for a condition with a bounded wait (the bound is a failure limit, not a performance target).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutMs = 15000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeoutMs} ms: {what}");
            }

            await Task.Delay(25);
        }
    }
}
