using Mnp.Agent.Host;

namespace Mnp.Tests.Privileged.Nftables;

/// <summary>The agent's start-up probe against this machine's kernel, which has nf_tables: answered, nothing written.</summary>
public sealed class BackendPreflightKernelTests
{
    [PrivilegedFact]
    public void This_kernels_nf_tables_answers_the_generation_probe()
    {
        Assert.Null(BackendPreflight.ProbeNftables());
    }
}
