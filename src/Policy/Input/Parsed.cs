using Mnp.Policy.Cluster;

namespace Mnp.Policy.Input;

/// <summary>What a parser understood of one object, plus the problems it found in it.</summary>
public sealed record Parsed<T>(T Value, ImmutableArray<Problem> Problems);
