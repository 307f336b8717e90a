namespace Mnp.Native.Backends;

/// <summary>What the namespace holds that is not ours, counted (we never touch it): containers (chains or tables) and rules.</summary>
public sealed record ForeignSummary(int Containers, int Rules)
{
    public static ForeignSummary None { get; } = new(0, 0);
}
