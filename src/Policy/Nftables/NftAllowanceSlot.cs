namespace Mnp.Policy.Nftables;

/// <summary>
/// A place in a direction chain's allowance rules, in first-appearance order: a port group (allowances merged by
/// their ports) or a run of <see cref="Length"/> allowances from <see cref="Start"/> resolved per destination.
/// <see cref="Prefix"/> names its sets.
/// </summary>
internal readonly record struct NftAllowanceSlot(string Prefix, NftPortGroup? Group, int Start, int Length);
