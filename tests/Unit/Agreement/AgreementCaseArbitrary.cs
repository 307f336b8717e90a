using FsCheck;
using Mnp.Tests.Unit.Support;

namespace Mnp.Tests.Unit.Agreement;

/// <summary>Registers <see cref="AgreementCases"/> with FsCheck.Xunit's <c>[Property(Arbitrary = ...)]</c>.</summary>
public static class AgreementCaseArbitrary
{
    public static Arbitrary<AgreementCase> Case() => AgreementCases.Arbitrary();
}
