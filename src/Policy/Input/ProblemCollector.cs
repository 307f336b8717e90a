using Mnp.Policy.Cluster;

namespace Mnp.Policy.Input;

/// <summary>Collects the problems found in one object, so parsers only name the field and the message.</summary>
public sealed class ProblemCollector(string kind, string ns, string name)
{
    private readonly List<Problem> _problems = [];

    public string Kind { get; } = kind;

    public string Namespace { get; } = ns;

    public string Name { get; } = name;

    public int Count => _problems.Count;

    public void Add(string field, string message) => _problems.Add(new Problem(Kind, Namespace, Name, field, message));

    public ImmutableArray<Problem> ToImmutable() => [.. _problems];
}
