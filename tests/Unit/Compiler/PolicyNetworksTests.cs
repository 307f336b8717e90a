using Mnp.Policy.Cluster;
using Mnp.Policy.Evaluation;
using Mnp.Policy.Rules;
using Mnp.Policy.Spec;
using Mnp.Tests.Support;
using static Mnp.Tests.Support.CompilerModel;
using static Mnp.Tests.Support.Pol;

namespace Mnp.Tests.Unit.Compiler;

/// <summary>
/// A policy-for list of thousands of names is looked up as a set by the compiler and the evaluator (a scan per pod
/// interface, or per decision, made 100,000 names and 300 pods take 503 s in matrix): the answers stay the same.
/// </summary>
public sealed class PolicyNetworksTests
{
    private static PolicyInfo DenyOn(params string[] networks) =>
        Make("x", "deny", Sel.All, true, false, [], null, networks);

    private static string[] Decoys(int count) => [.. Enumerable.Range(0, count).Select(i => $"other/n{i}")];

    [Theory]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(5000)]
    public void A_long_policy_for_list_applies_exactly_to_its_networks_in_compiler_and_evaluator(int decoys)
    {
        var applies = Cluster().Policy(DenyOn([.. Decoys(decoys), Network]));
        var misses = Cluster().Policy(DenyOn(Decoys(decoys)));

        Assert.True(Compile(applies, "x/a").Ingress.Isolated);
        Assert.False(Compile(misses, "x/a").Ingress.Isolated);
        Assert.False(Allowed(applies));
        Assert.True(Allowed(misses));
    }

    private static bool Allowed(TestCluster cluster)
    {
        var snapshot = cluster.Build();
        var from = snapshot.Pods.Single(p => p.Key == "y/b");
        var to = snapshot.Pods.Single(p => p.Key == "x/a");
        var network = NetworkRef.TryParse(Network, "x", out var parsed) ? parsed : default;
        return new PolicyEvaluator(snapshot, PolicyOptions.Default)
            .Decide(from, from.Interfaces[0].Addresses[0], to, to.Interfaces[0].Addresses[0], network, 80, Protocol.Tcp).Allowed;
    }
}
