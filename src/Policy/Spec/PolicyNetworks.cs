using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Mnp.Policy.Cluster;

namespace Mnp.Policy.Spec;

/// <summary>
/// Whether a policy applies to a network, in constant time whatever the length of its policy-for list: the
/// compiler and the evaluator ask once per pod interface (or per decision), so a linear scan over 100,000 names
/// made them quadratic. Short lists are scanned; long ones get a set, built once per policy object.
/// </summary>
internal static class PolicyNetworks
{
    private const int ScanUpTo = 16;
    private static readonly ConditionalWeakTable<PolicyInfo, FrozenSet<NetworkRef>> Sets = [];

    public static bool AppliesTo(PolicyInfo policy, NetworkRef network)
    {
        var networks = policy.PolicyFor;
        if (networks.Length <= ScanUpTo)
        {
            return networks.Contains(network);
        }

        return Sets.GetValue(policy, static p => p.PolicyFor.ToFrozenSet()).Contains(network);
    }
}
