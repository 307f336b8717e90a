using System.Globalization;

namespace Mnp.Bench;

/// <summary>What the peer-rate benchmark prints: per case the spread of its windows, per backend the paired ratio 5,000/50 peers.</summary>
internal static class PeerRateReport
{
    /// <summary>The 1, 5 and 15 minute load averages, as <c>uptime</c> shows them.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static void Print(PeerRateCase none, IReadOnlyList<PeerRateComparison> comparisons, long listenOverflows, string loadAtStart, string loadAtEnd, TimeSpan elapsed)
    {
        var cases = comparisons.SelectMany(c => new[] { c.Few, c.Many }).Prepend(none).ToList();
        var windows = cases.SelectMany(c => c.Windows).ToList();
        Console.WriteLine();
        Console.WriteLine($"new TCP connections per second through the server's policy (client's address last of the peers): {PeerRateBenchmark.Pairs} windows per case, each {PeerRateBenchmark.TimedConnections:N0} timed connects after {PeerRateBenchmark.WarmUpConnections:N0} untimed, into an emptied conntrack table, client on CPU {PeerRateBenchmark.ClientCpu}, server's accepting thread on CPU {PeerRateBenchmark.ServerCpu}");
        Console.WriteLine("  median [interquartile range] (min–max) of the windows; \"per CPU s\": per second of the client thread's CPU time (the cost of a connection, the machine's other load taken out); \"on CPU\": the client's median share of its CPU");
        Console.WriteLine($"  {"case",-22} {"wall clock /s",-32} {"per CPU s",-32} {"on CPU",6}  commit");
        foreach (var measured in cases)
        {
            var commit = measured.Backend is null ? "" : $"{Spread.Of(measured.CommitMilliseconds).Median:F1} ms, {measured.KernelRules} rules{(measured.ClientRulePosition is { } position ? ", " + position : "")}";
            Console.WriteLine($"  {measured.Name,-22} {Spread.Of(measured.Windows.Select(w => w.WallRate)).Format("F1", true),-32} {Spread.Of(measured.Windows.Select(w => w.CpuRate)).Format("F1", true),-32} {Spread.Of(measured.Windows.Select(w => w.OnCpu)).Median,6:P0}  {commit}");
        }

        Console.WriteLine($"paired ratio 5,000 peers / 50 peers, the two windows back to back (order alternated), median [interquartile range] (min–max) over {PeerRateBenchmark.Pairs} pairs, and the median's 95% confidence interval:");
        foreach (var comparison in comparisons)
        {
            var wall = Spread.Of(comparison.WallRatios);
            var cpu = Spread.Of(comparison.CpuRatios);
            var extra = Spread.Of(comparison.ExtraMicroseconds);
            Console.WriteLine($"  {comparison.Backend,-9} wall clock {wall.Format("F3")}: {Change(wall.Median)} (95% {Change(wall.MedianLow)} to {Change(wall.MedianHigh)})");
            Console.WriteLine($"  {"",-9} per CPU s  {cpu.Format("F3")}: {Change(cpu.Median)} (95% {Change(cpu.MedianLow)} to {Change(cpu.MedianHigh)}); "
                + $"client CPU per connection {extra.Median:+0.00;−0.00} µs (95% {extra.MedianLow:+0.00;−0.00} to {extra.MedianHigh:+0.00;−0.00}), "
                + $"{1000 * extra.Median / (comparison.Many.Peers - comparison.Few.Peers):+0.00;−0.00} ns per extra peer");
        }

        var conntrack = cases.Where(c => c.Backend is not null).SelectMany(c => c.ConntrackAfter).ToList();
        Console.WriteLine($"checks: slowest single connect {windows.Max(w => w.SlowestConnect).TotalMilliseconds:F2} ms (a lost SYN would be 1,000 ms), listen overflows {listenOverflows}, garbage collections during windows {windows.Sum(w => w.Collections)}, "
            + $"server's conntrack entries after a window {conntrack.Min():N0}–{conntrack.Max():N0} with a policy, {none.ConntrackAfter.Max():N0} without");
        Console.WriteLine($"load (1/5/15 min) at start {loadAtStart}, at end {loadAtEnd}; {elapsed.TotalSeconds:F0} s");
    }

    private static string Change(double ratio) => (ratio - 1).ToString("+0.0%;−0.0%", CultureInfo.InvariantCulture);
}
