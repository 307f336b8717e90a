namespace Mnp.Tests.Unit.Support;

/// <summary>Assertions that compare immutable arrays by content (xunit would compare ImmutableArray by reference).</summary>
public static class Expect
{
    public static void Seq<T>(T[] expected, IEnumerable<T> actual) => Assert.Equal(expected, actual.ToArray());
}
