namespace Mnp.Tests.Privileged.Lab.Conformance;

/// <summary>The conformance lab on the nftables backend.</summary>
public sealed class NftablesLabConformanceFixture() : LabConformanceFixture(FirewallBackendKind.Nftables);
