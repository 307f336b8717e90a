using System.Globalization;

namespace Mnp.Agent.Lab.Probe;

/// <summary>
/// How many probes may be in flight at once. Each one holds a client socket and, for TCP, the accepted one, so the
/// window is a third of the descriptors left under the soft <c>RLIMIT_NOFILE</c> (read from <c>/proc/self/limits</c>),
/// capped where more parallelism no longer shortens a run.
/// </summary>
public static class ProbeWindow
{
    public const int Max = 4096;
    public const int Min = 16;
    private const int Reserved = 256;

    /// <summary>The window for a run with <paramref name="listeners"/> listening sockets.</summary>
    public static int Concurrent(int listeners) => Concurrent(listeners, SoftOpenFileLimit());

    public static int Concurrent(int listeners, long? softLimit) =>
        softLimit is not { } limit ? Min : (int)Math.Clamp((limit - listeners - Reserved) / 3, Min, Max);

    /// <summary>The soft limit on open files from a <c>/proc/PID/limits</c> text; null when absent or unreadable.</summary>
    public static long? ParseSoftOpenFileLimit(string limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        foreach (var line in limits.Split('\n'))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft
                : fields.Length > 0 && fields[0] == "unlimited" ? long.MaxValue
                : null;
        }

        return null;
    }

    private static long? SoftOpenFileLimit()
    {
        try
        {
            return ParseSoftOpenFileLimit(File.ReadAllText("/proc/self/limits"));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
