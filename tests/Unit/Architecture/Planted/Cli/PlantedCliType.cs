namespace Mnp.Tests.Unit.Architecture.Planted.Cli;

/// <summary>A stand-in for a Cli type, for the layering check to catch <see cref="Lab.PlantedLabType"/> using it.</summary>
public sealed class PlantedCliType
{
    public string Name { get; } = "cli";
}
