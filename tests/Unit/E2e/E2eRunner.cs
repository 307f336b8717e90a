using Mnp.Tests.Support;
using Mnp.Tests.Support.E2e;

namespace Mnp.Tests.Unit.E2e;

/// <summary>Runs a case's steps in order and compares every ordered pair of distinct probed pods with the truth tables.</summary>
public static class E2eRunner
{
    /// <summary>One line per disagreement; empty when the checker agrees with every expectation of every step.</summary>
    public static IReadOnlyList<string> Mismatches(E2eCase testCase, IReachabilityChecker checker)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        ArgumentNullException.ThrowIfNull(checker);
        var cluster = new TestCluster();
        testCase.Setup(cluster);
        var mismatches = new List<string>();
        for (var stepIndex = 0; stepIndex < testCase.Steps.Length; stepIndex++)
        {
            var step = testCase.Steps[stepIndex];
            step.Change(cluster);
            var snapshot = cluster.Build();
            var pods = testCase.Pods.Select(key => snapshot.Pods.Single(p => p.Key == key)).ToList();
            foreach (var expectation in step.Expectations)
            {
                foreach (var from in pods)
                {
                    foreach (var to in pods.Where(p => p != from))
                    {
                        var expected = expectation.Expected(from.Key, to.Key);
                        var actual = checker.Allowed(snapshot, from, to, testCase.Network, testCase.Family, expectation.Port, expectation.Protocol);
                        if (expected != actual)
                        {
                            mismatches.Add($"step {stepIndex + 1} {expectation}: {from.Key} -> {to.Key} expected {Word(expected)}, got {Word(actual)}");
                        }
                    }
                }
            }
        }

        return mismatches;
    }

    private static string Word(bool allowed) => allowed ? "allowed" : "denied";
}
