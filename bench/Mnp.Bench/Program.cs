using BenchmarkDotNet.Running;

namespace Mnp.Bench;

internal static class Program
{
    private static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "agent")
        {
            // A plain stopwatch run, not BenchmarkDotNet: it measures one agent's cache, index and sync loop at scale.
            await AgentScaleBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
            return;
        }

        if (args.Length > 0 && args[0] == "agent-kernel")
        {
            // Root: the periodic full resync over a real lab and a real backend (iptables or nftables).
            await AgentKernelResyncBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
            return;
        }

        if (args.Length > 0 && args[0] == "peer-rate")
        {
            // Root: new TCP connections per second through a 5,000-peer policy, nftables sets vs iptables rules, on a real lab.
            await PeerRateBenchmark.RunAsync().ConfigureAwait(false);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
