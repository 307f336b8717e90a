using Mnp.Policy.Cluster;

namespace Mnp.Policy.Spec;

/// <summary>Whether a policy applies to a network, asked by the compiler per pod interface and by the evaluator per decision.</summary>
internal static class PolicyNetworks
{
    public static bool AppliesTo(PolicyInfo policy, NetworkRef network) =>
        LongListLookup<PolicyInfo, NetworkRef>.Contains(policy, policy.PolicyFor, network);
}
