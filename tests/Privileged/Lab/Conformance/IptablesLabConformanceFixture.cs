namespace Mnp.Tests.Privileged.Lab.Conformance;

/// <summary>The conformance lab on the iptables backend.</summary>
public sealed class IptablesLabConformanceFixture() : LabConformanceFixture(FirewallBackendKind.Iptables);
