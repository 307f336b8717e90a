using Xunit.Abstractions;

namespace Mnp.Tests.Privileged.Lab.Conformance;

/// <summary>The whole conformance suite with the lab's rules committed by the iptables backend.</summary>
public sealed class IptablesLabConformanceTests(IptablesLabConformanceFixture lab, ITestOutputHelper output)
    : LabConformanceTests(lab, output), IClassFixture<IptablesLabConformanceFixture>;
