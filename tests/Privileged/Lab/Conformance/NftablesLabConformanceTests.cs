using Xunit.Abstractions;

namespace Mnp.Tests.Privileged.Lab.Conformance;

/// <summary>The whole conformance suite with the lab's rules committed by the nftables backend.</summary>
public sealed class NftablesLabConformanceTests(NftablesLabConformanceFixture lab, ITestOutputHelper output)
    : LabConformanceTests(lab, output), IClassFixture<NftablesLabConformanceFixture>;
