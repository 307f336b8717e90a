using BenchmarkDotNet.Attributes;
using Mnp.Policy.Cluster;
using Mnp.Policy.Compiler;
using Mnp.Policy.Netfilter;
using Mnp.Policy.Rendering;
using Mnp.Policy.Rules;

namespace Mnp.Bench;

/// <summary>Compiling (and rendering) a node's rules from a 5,000-pod / 500-policy snapshot; target under 100 ms.</summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    private ClusterSnapshot _snapshot = ClusterSnapshot.Empty;

    [GlobalSetup]
    public void Setup() => _snapshot = SyntheticCluster.Build();

    [Benchmark]
    public int Compile() => PolicyCompiler.Compile(_snapshot, SyntheticCluster.Node, PolicyOptions.Default).Length;

    [Benchmark]
    public int CompileAndRenderBothFamilies()
    {
        var chains = 0;
        foreach (var pod in PolicyCompiler.Compile(_snapshot, SyntheticCluster.Node, PolicyOptions.Default))
        {
            chains += TableRenderer.Render(pod, IpFamily.V4, PolicyOptions.Default).Chains.Length;
            chains += TableRenderer.Render(pod, IpFamily.V6, PolicyOptions.Default).Chains.Length;
        }

        return chains;
    }

    [Benchmark]
    public int CompileRenderAndWriteText()
    {
        var length = 0;
        foreach (var pod in PolicyCompiler.Compile(_snapshot, SyntheticCluster.Node, PolicyOptions.Default))
        {
            length += IptablesSaveWriter.Write(TableRenderer.Render(pod, IpFamily.V4, PolicyOptions.Default)).Length;
            length += IptablesSaveWriter.Write(TableRenderer.Render(pod, IpFamily.V6, PolicyOptions.Default)).Length;
        }

        return length;
    }
}
