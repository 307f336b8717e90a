namespace Mnp.Agent.Observability;

/// <summary>
/// Liveness and readiness (docs/operations.md §3): alive while the sync loop's heartbeat is younger than twice the sync
/// period (plus 5 s of slack); ready once every initial list is complete and the first sync of every local pod has
/// been committed. Readiness is sticky: a later API outage does not take the node's agent out of service.
/// </summary>
public sealed class AgentHealth(TimeProvider time, TimeSpan syncPeriod)
{
    private long _lastBeatTicks = time.GetUtcNow().UtcTicks;
    private int _ready;

    public bool IsReady => Volatile.Read(ref _ready) == 1;

    public bool IsAlive => time.GetUtcNow().UtcTicks - Volatile.Read(ref _lastBeatTicks) < ((syncPeriod * 2) + TimeSpan.FromSeconds(5)).Ticks;

    public void Beat() => Volatile.Write(ref _lastBeatTicks, time.GetUtcNow().UtcTicks);

    public void MarkReady() => Volatile.Write(ref _ready, 1);
}
