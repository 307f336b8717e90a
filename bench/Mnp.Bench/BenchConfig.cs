using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Mnp.Bench;

/// <summary>In-process (the benchmarks hold a namespace and an executor thread), few iterations: each op is milliseconds.</summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15).WithInvocationCount(4).WithUnrollFactor(1));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
    }
}
