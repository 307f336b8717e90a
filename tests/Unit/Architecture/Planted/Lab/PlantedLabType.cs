using Mnp.Tests.Unit.Architecture.Planted.Cli;

namespace Mnp.Tests.Unit.Architecture.Planted.Lab;

/// <summary>A planted reverse dependency: a "Lab" type that uses a "Cli" type only inside a method body.</summary>
public static class PlantedLabType
{
    public static string Describe() => new PlantedCliType().Name;
}
