using Mnp.Native.Netns;
using Mnp.Policy.Rules;

namespace Mnp.Native.Backends;

/// <summary>
/// The seam between the reconciler and a rule backend. The reconciler hands over the backend-neutral
/// <see cref="PodRules"/>; each backend renders them into its own kernel model (iptables: two tables through
/// the engine's table renderer; nftables: one table of its own) and commits them atomically. The reconciler
/// never knows which backend it drives.
/// </summary>
public interface IFirewallBackend
{
    /// <summary>Which kernel interface this backend writes.</summary>
    FirewallBackendKind Kind { get; }

    /// <summary>
    /// Makes what we own in <paramref name="netns"/> equal to <paramref name="rules"/>: a pod with no governed
    /// interface, or <c>null</c>, removes everything of ours. Writes nothing when the kernel already holds
    /// exactly that. Each transaction is atomic: when one fails, what it would have replaced stays.
    /// </summary>
    /// <exception cref="FirewallModelException">The rendered model was refused before anything was written.</exception>
    /// <exception cref="MnpException">The namespace could not be entered, a library is missing, or the kernel refused the commit.</exception>
    Task<BackendApplyResult> ApplyAsync(NetnsRef netns, PodRules? rules, PolicyOptions options, CancellationToken cancellationToken);

    /// <summary>What we own in <paramref name="netns"/>, read back in backend-neutral form, with a summary of what is not ours.</summary>
    Task<OwnedRuleDump> ReadAsync(NetnsRef netns, CancellationToken cancellationToken);
}
