namespace Mnp.Bench;

/// <summary>One timed window of the peer-rate client: how many connections, how long by the wall clock, how much CPU the client thread had meanwhile.</summary>
/// <param name="Connections">Connections opened and reset in the window.</param>
/// <param name="Wall">The window by the wall clock.</param>
/// <param name="ClientCpu">The client thread's CPU time in the window, the kernel's work on its behalf included (the SYN's walk through the server's policy runs in the client's softirq).</param>
/// <param name="SlowestConnect">The longest single <c>connect</c>: a lost SYN would show here as a second or more.</param>
/// <param name="Collections">Garbage collections during the window (the loop allocates nothing: 0).</param>
internal sealed record ConnectWindow(int Connections, TimeSpan Wall, TimeSpan ClientCpu, TimeSpan SlowestConnect, int Collections)
{
    public double WallRate => Connections / Wall.TotalSeconds;

    /// <summary>Connections per second of the client's CPU: what one connection costs, whatever other processes took from the CPU meanwhile.</summary>
    public double CpuRate => Connections / ClientCpu.TotalSeconds;

    /// <summary>The share of the window the client thread was on its CPU (1: nothing else ran there).</summary>
    public double OnCpu => ClientCpu / Wall;
}
