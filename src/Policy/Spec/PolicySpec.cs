namespace Mnp.Policy.Spec;

/// <summary>The understood spec of a policy. <see cref="AffectsIngress"/>/<see cref="AffectsEgress"/> come from policyTypes after Kubernetes defaulting.</summary>
public sealed record PolicySpec(
    LabelSelector PodSelector,
    bool AffectsIngress,
    bool AffectsEgress,
    ImmutableArray<PolicyRule> Ingress,
    ImmutableArray<PolicyRule> Egress);
